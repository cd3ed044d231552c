import { compareIds } from './descriptor.ts'

// Its own module, not in descriptor.ts: on the client only the kit's signed-in half sorts by a declared order,
// and client code imports it from here, so the contracts index does not bring it to a signed-out page.

/**
 * The order a collection declares as field names (`order: ['choice']`), then
 * id: numbers by value, anything else by its string form, a missing value first.
 * What the client sorts a collection by when it knows it by name only.
 *
 * @example
 * [...votes].sort(compareByFields(['choice']))
 */
export function compareByFields<T extends { id: string }>(fields: readonly string[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const field of fields) {
      const left = (a as Record<string, unknown>)[field]
      const right = (b as Record<string, unknown>)[field]
      if (left === right) continue
      if (left === undefined || left === null) return -1
      if (right === undefined || right === null) return 1
      if (typeof left === 'number' && typeof right === 'number') return left - right
      const [l, r] = [String(left), String(right)]
      if (l !== r) return l < r ? -1 : 1
    }
    return compareIds(a, b)
  }
}
