import { Observable, ReplaySubject, share, type OperatorFunction } from 'rxjs'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import type { LiveDoc } from './live-doc.ts'
import { partitionKey } from './partition-state.ts'

/** Beyond this many changed documents in one emission (a refetch, say), sorting afresh is cheaper. */
const INCREMENTAL_LIMIT = 32

/** Index of `item` in `sorted` (ordered by `compare`), found by binary search; `indexOf` if the order is not total. */
function indexIn<T>(sorted: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const probe = sorted[middle]!
    if (probe === item) return middle
    const order = compare(probe, item)
    if (order < 0) low = middle + 1
    else if (order > 0) high = middle - 1
    else break
  }
  return sorted.indexOf(item)
}

/** Where `item` goes in `sorted`: after every element that does not sort after it. */
function insertionPoint<T>(sorted: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (compare(sorted[middle]!, item) <= 0) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * What changed between two id-ordered lists, by identity: one merge walk.
 * `undefined` when more than {@link INCREMENTAL_LIMIT} documents changed.
 */
function changedBetween<T extends { id: string }>(before: readonly T[], after: readonly T[]): { gone: T[]; come: T[] } | undefined {
  const gone: T[] = []
  const come: T[] = []
  let i = 0
  let j = 0
  while (i < before.length || j < after.length) {
    const old = before[i]
    const now = after[j]
    if (old === now) {
      i++
      j++
      continue
    }
    if (now === undefined || (old !== undefined && old.id < now.id)) {
      gone.push(old!)
      i++
    } else if (old === undefined || now.id < old.id) {
      come.push(now)
      j++
    } else {
      gone.push(old)
      come.push(now)
      i++
      j++
    }
    if (gone.length + come.length > INCREMENTAL_LIMIT) return undefined
  }
  return { gone, come }
}

/**
 * Keeps a list in display order as it changes. The input is a list in id
 * order (what a live query emits); the first is sorted once, and after that
 * each emission is compared with the previous one (a merge walk by id, by
 * identity) and only the documents that changed leave and enter the sorted
 * list, by binary search. So one change on a 5,000-task board costs a copy
 * of an array and a few comparisons, not a sort. Each emission is a new array.
 *
 * @example
 * kit.collection<TaskFields>('tasks').where({ board }).watch().pipe(sortedBy(compareTasks))
 */
export function sortedBy<T extends { id: string }>(compare: (a: T, b: T) => number): OperatorFunction<readonly T[], readonly T[]> {
  return (source) =>
    new Observable<readonly T[]>((subscriber) => {
      let previous: readonly T[] | undefined
      let sorted: readonly T[] = []
      return source.subscribe({
        next(items) {
          const changed = previous && changedBetween(previous, items)
          if (changed) {
            const next = sorted.slice()
            for (const item of changed.gone) {
              const index = indexIn(next, item, compare)
              if (index >= 0) next.splice(index, 1)
            }
            for (const item of changed.come) next.splice(insertionPoint(next, item, compare), 0, item)
            sorted = next
          } else {
            sorted = [...items].sort(compare)
          }
          previous = items
          subscriber.next(sorted)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      })
    })
}

/**
 * Shared sorted views of live queries: one per partition, kept while
 * subscribed, each in the order of its own `compare` (the first asked for a
 * partition is the one kept, as `tasks$` and `messages$` each have one).
 *
 * @example
 * const sortedView = sortedViews(watchPartition)
 * sortedView({ collection: 'tasks', key: 'board', value: 'launch' }, compareTasks).subscribe(render)
 */
export function sortedViews(
  watch: (ref: PartitionRef) => Observable<readonly LiveDoc[]>,
): <F extends object>(ref: PartitionRef, compare: (a: LiveDoc<F>, b: LiveDoc<F>) => number) => Observable<readonly LiveDoc<F>[]> {
  const views = new Map<string, Observable<unknown>>()
  return <F extends object>(ref: PartitionRef, compare: (a: LiveDoc<F>, b: LiveDoc<F>) => number) => {
    const key = partitionKey(ref)
    let view = views.get(key)
    if (!view) {
      view = (watch(ref) as Observable<readonly LiveDoc<F>[]>).pipe(
        sortedBy(compare),
        share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }),
      )
      views.set(key, view)
    }
    return view as Observable<readonly LiveDoc<F>[]>
  }
}
