import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { map, scan } from 'rxjs'
import type { Command, UpdateCommand } from '../commands/command.ts'
import type { Action } from '../core/action.ts'
import { task } from '../testing/fixtures.ts'
import { marbleScheduler } from '../testing/marbles.ts'
import {
  commandConfirmed,
  commandIssued,
  commandRejected,
  commandsReducer,
  commandsRestored,
  initialCommandsState,
  sendDeferred,
  sendStarted,
} from './commands.ts'
import { loginRequested, registerRequested, signedOut } from './session.ts'

const base = { type: '[Tasks] Rename Task', collection: 'tasks', userId: 'alice', issuedAt: '2024-01-01T00:00:00.000Z' } as const
const rename = (id: string, docId: string, expectedVersion: number, title: string): UpdateCommand => ({
  ...base,
  id,
  op: 'update',
  docId,
  patch: { title },
  expectedVersion,
})
const insert = (id: string, docId: string): Command => ({ ...base, id, op: 'insert', docId, fields: { board: 'launch', title: 'new' } })
const summary = (queue: readonly Command[]) =>
  queue.map((c) => `${c.id}:${c.op === 'insert' ? 'i' : c.op === 'call' ? 'c' : c.expectedVersion}`).join(' ')

describe('commandsReducer', () => {
  it('carries a confirmed version forward to later commands on the same document based on the same version', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('a-b-c-s-k', {
        a: commandIssued({ command: rename('c1', 'd1', 3, 'one') }),
        b: commandIssued({ command: rename('c2', 'd1', 3, 'two') }),
        c: commandIssued({ command: rename('c3', 'd2', 3, 'other doc') }),
        s: sendStarted({ id: 'c1' }),
        k: commandConfirmed({ command: rename('c1', 'd1', 3, 'one'), doc: task('d1', 4) }),
      })
      const queue$ = actions$.pipe(
        scan(commandsReducer, initialCommandsState),
        map((state) => summary(state.queue)),
      )
      expectObservable(queue$).toBe('a-b-c-s-k', { a: 'c1:3', b: 'c1:3 c2:3', c: 'c1:3 c2:3 c3:3', s: 'c1:3 c2:3 c3:3', k: 'c2:4 c3:3' })
    })
  })

  it('gives updates issued while an insert was pending the version the insert gets', () => {
    let state = commandsReducer(initialCommandsState, commandIssued({ command: insert('c1', 'd1') }))
    state = commandsReducer(state, commandIssued({ command: rename('c2', 'd1', 0, 'renamed') }))
    state = commandsReducer(state, commandConfirmed({ command: insert('c1', 'd1'), doc: task('d1', 1) }))
    assert.equal(summary(state.queue), 'c2:1')
  })

  it('puts restored commands before those issued since, without duplicates', () => {
    let state = commandsReducer(initialCommandsState, commandIssued({ command: rename('c3', 'd1', 2, 'new') }))
    state = commandsReducer(state, commandsRestored({ commands: [rename('c1', 'd1', 1, 'a'), rename('c3', 'd1', 2, 'new')] }))
    assert.equal(summary(state.queue), 'c1:1 c3:2')
    assert.equal(state.loaded, true)
  })

  it('keeps a deferred command first in the queue and forgets the queue on sign-out', () => {
    let state = commandsReducer(initialCommandsState, commandIssued({ command: rename('c1', 'd1', 1, 'a') }))
    state = commandsReducer(state, sendStarted({ id: 'c1' }))
    state = commandsReducer(state, sendDeferred({ id: 'c1' }))
    assert.equal(state.sending, null)
    assert.equal(summary(state.queue), 'c1:1')
    state = commandsReducer(
      state,
      commandRejected({ command: rename('c1', 'd1', 1, 'a'), error: { id: 'e', code: 'forbidden', message: 'no', at: '' } }),
    )
    assert.equal(state.queue.length, 0)
    state = commandsReducer(commandsReducer(state, commandIssued({ command: rename('c2', 'd1', 1, 'b') })), signedOut({ reason: 'logout' }))
    assert.deepEqual(state, initialCommandsState)
  })

  it('forgets the queue when someone logs in or registers without signing out first, so their own stored queue is loaded', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('r-a-l-b-g', {
        r: commandsRestored({ commands: [] }),
        a: commandIssued({ command: rename('c1', 'd1', 1, 'by alice') }),
        l: loginRequested({ requestId: 'q1', username: 'bob', password: 'x' }),
        b: commandsRestored({ commands: [{ ...rename('c2', 'd1', 1, 'by bob'), userId: 'bob' }] }),
        g: registerRequested({ requestId: 'q2', username: 'carol', password: 'x', name: 'Carol' }),
      })
      const state$ = actions$.pipe(
        scan(commandsReducer, initialCommandsState),
        map((state) => `${summary(state.queue) || '-'} ${state.loaded ? 'loaded' : 'unloaded'}`),
      )
      expectObservable(state$).toBe('r-a-l-b-g', {
        r: '- loaded',
        a: 'c1:1 loaded',
        l: '- unloaded',
        b: 'c2:1 loaded',
        g: '- unloaded',
      })
    })
  })
})
