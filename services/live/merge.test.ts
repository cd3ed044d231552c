import { describe, it } from 'node:test'
import { distinctUntilChanged, map, scan, type Observable } from 'rxjs'
import type { Action } from '../core/action.ts'
import { changeReceived, fetchCompleted, fetchStarted, pageLoaded, queryOpened } from '../state/collections.ts'
import { initialKitState } from '../state/root.ts'
import { selectLiveDocs } from '../state/live-docs.ts'
import { launch, task } from '../testing/fixtures.ts'
import { signedInReducer } from '../testing/signed-in-reducer.ts'
import { marbleScheduler } from '../testing/marbles.ts'
const upsert = (id: string, version: number, fields?: Record<string, unknown>) =>
  changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'upsert', doc: task(id, version, fields), version } })
const remove = (id: string, version: number) =>
  changeReceived({ collection: 'tasks', partition: 'launch', event: { op: 'remove', id, version } })

/** Opened, then an empty first fetch: the query shows an empty list from `f` on. */
const loaded = { o: queryOpened({ ref: launch }), s: fetchStarted({ ref: launch }), f: fetchCompleted({ ref: launch }) }

/** The live query's output as `id@version` lists, one emission per change. */
function view(actions$: Observable<Action>) {
  return actions$.pipe(
    scan(signedInReducer, initialKitState),
    map(selectLiveDocs(launch)),
    distinctUntilChanged(),
    map((docs) => (docs ? docs.map((doc) => `${doc.id}@${doc.version}`).join(',') : 'closed')),
    distinctUntilChanged(),
  )
}

describe('live query merge', () => {
  it('applies out-of-order and duplicate events by version: newer wins, stale and repeated events change nothing', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('o-s-f-a-b-c-d', {
        ...loaded,
        a: upsert('t1', 3),
        b: upsert('t1', 2), // arrives late: ignored
        c: upsert('t1', 3), // duplicate: ignored
        d: upsert('t1', 4),
      })
      expectObservable(view(actions$)).toBe('o---f-a-----d', { o: 'closed', f: '', a: 't1@3', d: 't1@4' })
    })
  })

  it('keeps events that arrive during the initial fetch when the fetched page is older', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('o-s-e-p-c', {
        o: queryOpened({ ref: launch }),
        s: fetchStarted({ ref: launch }),
        e: upsert('t1', 5), // written while the page was in flight
        p: pageLoaded({ ref: launch, items: [task('t1', 4), task('t2', 1)] }),
        c: fetchCompleted({ ref: launch }),
      })
      // The page is held until the last one arrives, so the list never shows half a partition.
      expectObservable(view(actions$)).toBe('o-------c', { o: 'closed', c: 't1@5,t2@1' })
    })
  })

  it('does not resurrect a removed document when a stale upsert or page arrives later', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('o-s-f-a-r-u-s-p-c', {
        ...loaded,
        a: upsert('t1', 2),
        r: remove('t1', 3),
        u: upsert('t1', 2), // replayed by the network after the remove
        s: fetchStarted({ ref: launch }),
        p: pageLoaded({ ref: launch, items: [task('t1', 2)] }), // a page read before the delete
        c: fetchCompleted({ ref: launch }),
      })
      expectObservable(view(actions$)).toBe('o---f-a-r--------', { o: 'closed', f: '', a: 't1@2', r: '' })
    })
  })

  it('drops on refetch a document that was removed while we were not listening', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('o-s-f-a-b-s-p-c', {
        ...loaded,
        a: upsert('t1', 1),
        b: upsert('t2', 1),
        s: fetchStarted({ ref: launch }),
        p: pageLoaded({ ref: launch, items: [task('t2', 2)] }),
        c: fetchCompleted({ ref: launch }),
      })
      expectObservable(view(actions$)).toBe('o---f-a-b-----c', { o: 'closed', f: '', a: 't1@1', b: 't1@1,t2@1', c: 't2@2' })
    })
  })

  it('removes a document that moved to another partition', () => {
    marbleScheduler().run(({ cold, expectObservable }) => {
      const actions$ = cold<Action>('o-s-f-a-m', {
        ...loaded,
        a: upsert('t1', 1),
        m: upsert('t1', 2, { board: 'other' }),
      })
      expectObservable(view(actions$)).toBe('o---f-a-m', { o: 'closed', f: '', a: 't1@1', m: '' })
    })
  })
})
