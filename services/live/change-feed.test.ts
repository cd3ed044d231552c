import { describe, it } from 'node:test'
import { map, type Observable } from 'rxjs'
import { updateCommand } from '../commands/command-factories.ts'
import { CommandType } from '../commands/command-types.ts'
import type { Action } from '../core/action.ts'
import { Store } from '../core/store.ts'
import { changeReceived, fetchCompleted, fetchStarted, pageLoaded, queryOpened } from '../state/collections.ts'
import { commandConfirmed, commandIssued, commandRejected, sendStarted } from '../state/commands.ts'
import { initialKitState } from '../state/root.ts'
import { signedOut } from '../state/session.ts'
import { launch, task } from '../testing/fixtures.ts'
import { signedInReducer } from '../testing/signed-in-reducer.ts'
import { marbleScheduler } from '../testing/marbles.ts'
import { partitionChanges } from './change-feed.ts'
import type { DocChange } from './changes.ts'

const upsert = (id: string, version: number, fields?: Record<string, unknown>) =>
  changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'upsert', doc: task(id, version, fields), version } })
const remove = (id: string, version: number) =>
  changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'remove', id, version } })

/** Opened and fetched with t1@1: the starting point, which is no change. */
const load = {
  o: queryOpened({ ref: launch }),
  s: fetchStarted({ ref: launch }),
  p: pageLoaded({ ref: launch, items: [task('t1', 1)] }),
  f: fetchCompleted({ ref: launch }),
}

/** Alice renames t1 (based on version 1); the command's id is `c1`. */
const rename = updateCommand(
  { userId: 'alice', newId: () => 'c1', now: () => '2024-01-01T00:00:00.000Z' },
  CommandType.renameTask,
  'tasks',
  't1',
  { title: 'Mine' },
  1,
)
const mine = { i: commandIssued({ command: rename }), g: sendStarted({ id: rename.id }) }

const brief = (change: DocChange) =>
  `${change.origin} ${change.op} ${change.id}@${change.version}<${change.previousVersion ?? '-'}${change.commandId ? ` ${change.commandId}` : ''}`

/** Dispatches `actions$` into a real store and describes what the feed emits. */
function feed(actions$: Observable<Action>): Observable<string> {
  const store = new Store(signedInReducer, initialKitState)
  actions$.subscribe((action) => store.dispatch(action))
  return partitionChanges(store, launch).pipe(map(brief))
}

describe('partitionChanges', () => {
  it('starts at the first full fetch and reports everyone else’s changes as remote', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('-ospfabcd', {
        ...load,
        a: upsert('t1', 2),
        b: upsert('t2', 1),
        c: upsert('t2', 1),
        d: remove('t1', 3),
      })
      expectObservable(feed(actions$)).toBe('-----ab-d', {
        a: 'remote upsert t1@2<1',
        b: 'remote upsert t2@1<-',
        d: 'remote remove t1@3<2',
      })
    })
  })

  it('reports a confirmed command as local, with its command id, and ignores its realtime echo', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('-ospfigce', {
        ...load,
        ...mine,
        c: commandConfirmed({ command: rename, doc: task('t1', 2) }),
        e: upsert('t1', 2),
      })
      expectObservable(feed(actions$)).toBe('-------c-', { c: 'local upsert t1@2<1 c1' })
    })
  })

  it('holds an echo that beats the HTTP answer until the command settles, then reports it as local', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('-ospfigec', {
        ...load,
        ...mine,
        e: upsert('t1', 2),
        c: commandConfirmed({ command: rename, doc: task('t1', 2) }),
      })
      expectObservable(feed(actions$)).toBe('--------c', { c: 'local upsert t1@2<1 c1' })
    })
  })

  it('tells another user’s write during an own command from the command’s result', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('-ospfigbc', {
        ...load,
        ...mine,
        b: upsert('t1', 2, { title: 'Bob’s' }),
        c: commandConfirmed({ command: rename, doc: task('t1', 3) }),
      })
      expectObservable(feed(actions$)).toBe('--------(bc)', { b: 'remote upsert t1@2<1', c: 'local upsert t1@3<2 c1' })
    })
  })

  it('reports a change held for a command that is then rejected as remote', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const error = { id: 'e1', code: 'conflict', message: 'changed meanwhile', command: rename, at: '2024-01-01T00:00:00.000Z' }
      const actions$ = cold<Action>('-ospfigbr', { ...load, ...mine, b: upsert('t1', 2), r: commandRejected({ command: rename, error }) })
      expectObservable(feed(actions$)).toBe('--------b', { b: 'remote upsert t1@2<1' })
    })
  })

  it('reports what a refetch finds changed as remote, and starts over after a sign-out without reporting removals', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('-ospfSPFxSPFy', {
        ...load,
        S: fetchStarted({ ref: launch }),
        P: pageLoaded({ ref: launch, items: [task('t1', 2), task('t2', 1)] }),
        F: fetchCompleted({ ref: launch }),
        x: signedOut({ reason: 'logout' }),
        y: upsert('t2', 2),
      })
      // After the sign-out the partition is empty and not loaded: the next full fetch is a new starting point.
      expectObservable(feed(actions$)).toBe('-------(ab)-c', {
        a: 'remote upsert t1@2<1',
        b: 'remote upsert t2@1<-',
        c: 'remote upsert t2@2<1',
      })
    })
  })

  it('stops when unsubscribed', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('-ospfa-b', { ...load, a: upsert('t1', 2), b: upsert('t1', 3) })
      expectObservable(feed(actions$), '^-----!').toBe('-----a-', { a: 'remote upsert t1@2<1' })
    })
  })
})
