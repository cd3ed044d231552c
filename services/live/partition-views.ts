import { filter, Observable, ReplaySubject, share } from 'rxjs'
import type { Store } from '../core/store.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import type { LiveQuery } from '../kit.ts'
import { queryClosed, queryOpened } from '../state/collections.ts'
import type { KitState } from '../state/root.ts'
import { selectLiveDocs } from '../state/live-docs.ts'
import { selectQueryStatus } from '../state/selectors.ts'
import { partitionChanges } from './change-feed.ts'
import type { LiveDoc } from './live-doc.ts'
import { partitionKey } from './partition-key.ts'
import { sortedBy } from './sorted-view.ts'

type Compare = (a: LiveDoc<never>, b: LiveDoc<never>) => number

/**
 * The live queries of one facade. Every subscriber to a partition shares one
 * stream (the first opens the query, the last closes it), and every sorted
 * view of it in one order one sorted list, kept in order incrementally
 * (`sorted-view.ts`), so ten tags on one board cost one subscription and one
 * fetch. An order is its compare function: pass the same function to share.
 */
export interface PartitionViews {
  /** A partition as a {@link LiveQuery}: in `compare`'s order, or by id without one. */
  query<F extends object>(ref: PartitionRef, compare?: (a: LiveDoc<F>, b: LiveDoc<F>) => number): LiveQuery<F>
}

export function partitionViews(store: Store<KitState>): PartitionViews {
  const live = new Map<string, Observable<readonly LiveDoc[]>>()
  // Per order, then per partition: two orders of one board are two lists, one order's views share one.
  const sorted = new WeakMap<Compare, Map<string, Observable<readonly LiveDoc[]>>>()

  function watch(ref: PartitionRef): Observable<readonly LiveDoc[]> {
    const key = partitionKey(ref)
    let shared = live.get(key)
    if (!shared) {
      shared = new Observable<readonly LiveDoc[]>((subscriber) => {
        const subscription = store
          .select(selectLiveDocs(ref))
          .pipe(filter((docs): docs is readonly LiveDoc[] => docs !== undefined))
          .subscribe(subscriber)
        store.dispatch(queryOpened({ ref }))
        return () => {
          subscription.unsubscribe()
          store.dispatch(queryClosed({ ref }))
        }
      }).pipe(share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }))
      live.set(key, shared)
    }
    return shared
  }

  function inOrder(ref: PartitionRef, compare: Compare): Observable<readonly LiveDoc[]> {
    const key = partitionKey(ref)
    let inThisOrder = sorted.get(compare)
    if (!inThisOrder) sorted.set(compare, (inThisOrder = new Map()))
    let view = inThisOrder.get(key)
    if (!view) {
      view = watch(ref).pipe(
        sortedBy(compare as (a: LiveDoc, b: LiveDoc) => number),
        share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }),
      )
      inThisOrder.set(key, view)
    }
    return view
  }

  return {
    query<F extends object>(ref: PartitionRef, compare?: (a: LiveDoc<F>, b: LiveDoc<F>) => number): LiveQuery<F> {
      return {
        watch: () => (compare ? inOrder(ref, compare as unknown as Compare) : watch(ref)) as Observable<readonly LiveDoc<F>[]>,
        status: () => store.select(selectQueryStatus(ref)),
        changes: () => partitionChanges<F>(store, ref, watch(ref)),
      }
    },
  }
}
