import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { distinctUntilChanged, map, scan } from 'rxjs'
import type { Command } from '../commands/command.ts'
import type { Action } from '../core/action.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'
import { partitionKey } from '../live/partition-key.ts'
import { launch, task } from '../testing/fixtures.ts'
import { signedInReducer } from '../testing/signed-in-reducer.ts'
import { marbleScheduler } from '../testing/marbles.ts'
import { changeReceived, fetchCompleted, fetchStarted, queryOpened } from './collections.ts'
import { commandConfirmed, commandIssued, commandRejected, commandsRestored } from './commands.ts'
import { realtimeStatusChanged } from './connection.ts'
import { initialKitState } from './root.ts'
import { selectLiveDocs } from './live-docs.ts'
import { selectNextCommand } from './next-command.ts'
import { selectPending } from './selectors.ts'
import { loginRequested, signedIn } from './session.ts'

const key = partitionKey(launch)
const meta = { collection: 'tasks', userId: 'alice', issuedAt: '2024-01-02T00:00:00.000Z' } as const
const add: Command = {
  ...meta,
  id: 'c1',
  type: '[Tasks] Add Task',
  op: 'insert',
  docId: 'n1',
  fields: { board: 'launch', title: 'New', status: 'todo', order: 9 },
}
const rename: Command = {
  ...meta,
  id: 'c2',
  type: '[Tasks] Rename Task',
  op: 'update',
  docId: 't1',
  patch: { title: 'Renamed' },
  expectedVersion: 1,
}
const remove: Command = { ...meta, id: 'c3', type: '[Tasks] Remove Task', op: 'remove', docId: 't2' }

describe('selectors', () => {
  it('shows pending commands on top of server documents and rolls them back on rejection', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('o-s-f-a-b-i-r-d-x-k', {
        o: queryOpened({ ref: launch }),
        s: fetchStarted({ ref: launch }),
        f: fetchCompleted({ ref: launch }),
        a: changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'upsert', doc: task('t1', 1), version: 1 } }),
        b: changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'upsert', doc: task('t2', 1), version: 1 } }),
        i: commandIssued({ command: add }),
        r: commandIssued({ command: rename }),
        d: commandIssued({ command: remove }),
        x: commandRejected({ command: remove, error: { id: 'e1', code: 'forbidden', message: 'no', at: '' } }),
        k: commandConfirmed({ command: rename, doc: task('t1', 2, { title: 'Renamed' }) }),
      })
      const view$ = actions$.pipe(
        scan(signedInReducer, initialKitState),
        map(selectLiveDocs(launch)),
        distinctUntilChanged(),
        map((docs) => (docs === undefined ? 'closed' : docs.map((d) => `${d.title}@${d.version}${d.pending ? '*' : ''}`).join(','))),
      )
      expectObservable(view$).toBe('o---f-a-b-i-r-d-x-k', {
        o: 'closed',
        f: '',
        a: 't1 v1@1',
        b: 't1 v1@1,t2 v1@1',
        i: 'New@0*,t1 v1@1,t2 v1@1',
        r: 'New@0*,Renamed@1*,t2 v1@1',
        d: 'New@0*,Renamed@1*',
        x: 'New@0*,Renamed@1*,t2 v1@1',
        k: 'New@0*,Renamed@2,t2 v1@1',
      })
    })
  })

  it('memoises: an unrelated change keeps the same array', () => {
    let state = [queryOpened({ ref: launch }), fetchStarted({ ref: launch }), fetchCompleted({ ref: launch })].reduce(
      signedInReducer,
      initialKitState,
    )
    const select = selectLiveDocs(launch)
    const before = select(state)
    assert.deepEqual(before, [])
    state = signedInReducer(state, realtimeStatusChanged({ status: ConnectionStatus.open }))
    assert.equal(select(state), before)
  })

  it('sends nothing until signed in, the stored queue is loaded and the connection is open', () => {
    const session = { token: 't', user: { id: 'alice', username: 'alice', name: 'Alice' }, expiresAt: 2e9 }
    let state = signedInReducer(initialKitState, commandIssued({ command: add }))
    assert.equal(selectNextCommand(state), null)
    state = signedInReducer(state, signedIn({ requestId: 'r', session }))
    state = signedInReducer(state, commandsRestored({ commands: [] }))
    assert.equal(selectNextCommand(state), null)
    state = signedInReducer(state, realtimeStatusChanged({ status: ConnectionStatus.open }))
    assert.equal(selectNextCommand(state)?.id, 'c1')
    assert.deepEqual(
      selectPending(state).map((p) => p.state),
      ['queued'],
    )
  })

  it("never offers another user's command for sending, whatever the queue holds", () => {
    const bob = { token: 'b', user: { id: 'bob', username: 'bob', name: 'Bob' }, expiresAt: 2e9 }
    let state = signedInReducer(initialKitState, signedIn({ requestId: 'r', session: bob }))
    state = signedInReducer(state, realtimeStatusChanged({ status: ConnectionStatus.open }))
    // A queue that somehow holds alice's command first (e.g. a corrupted restore):
    state = signedInReducer(state, commandsRestored({ commands: [add, { ...rename, userId: 'bob' }] }))
    assert.equal(selectNextCommand(state)?.id, 'c2')
    state = signedInReducer(state, commandsRestored({ commands: [] }))
    state = { ...state, commands: { ...state.commands, queue: [add] } }
    assert.equal(selectNextCommand(state), null)
  })

  it("shows nothing of the previous user's documents or pending commands once someone else logs in", () => {
    const alice = { token: 'a', user: { id: 'alice', username: 'alice', name: 'Alice' }, expiresAt: 2e9 }
    let state = signedInReducer(initialKitState, signedIn({ requestId: 'r', session: alice }))
    state = signedInReducer(state, commandsRestored({ commands: [] }))
    state = signedInReducer(state, queryOpened({ ref: launch }))
    state = signedInReducer(state, fetchStarted({ ref: launch }))
    state = signedInReducer(
      state,
      changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'upsert', doc: task('t1', 1), version: 1 } }),
    )
    state = signedInReducer(state, fetchCompleted({ ref: launch }))
    state = signedInReducer(state, commandIssued({ command: add }))
    assert.equal(selectLiveDocs(launch)(state)?.length, 2)

    state = signedInReducer(state, loginRequested({ requestId: 'r2', username: 'bob', password: 'x' }))

    assert.equal(selectLiveDocs(launch)(state), undefined, 'not loaded until bob fetches it')
    assert.equal(state.collections[key]?.watchers, 1, 'the watched partition stays open')
    assert.deepEqual(selectPending(state), [])
  })
})
