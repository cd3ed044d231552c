import { Observable, type OperatorFunction } from 'rxjs'
import { withInserted } from './array-copies.ts'

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
          if (changed && changed.gone.length === 0 && changed.come.length === 1) {
            // One document added, the commonest change: one copy (array-copies.ts) instead of a copy the splice outgrows.
            const item = changed.come[0]!
            sorted = withInserted(sorted, insertionPoint(sorted, item, compare), item)
          } else if (changed) {
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
