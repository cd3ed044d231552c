import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type * as copies from './array-copies.ts'
import { withInserted, withRemoved } from './array-copies.ts'

/** The module again, loaded afresh in an engine without `toSpliced` (an ES2022 browser). */
async function withoutToSpliced(): Promise<typeof copies> {
  const prototype = Array.prototype as unknown as { toSpliced?: unknown }
  const own = prototype.toSpliced
  delete prototype.toSpliced
  try {
    // A query makes it a module of its own, evaluated now, apart from the one imported above.
    const fresh = './array-copies.ts?without-to-spliced'
    return (await import(fresh)) as typeof copies
  } finally {
    prototype.toSpliced = own
  }
}

describe('array copies', () => {
  for (const [engine, load] of [
    ['with toSpliced', async () => ({ withInserted, withRemoved })],
    ['without toSpliced', withoutToSpliced],
  ] as const) {
    it(`insert and remove at the start, the middle and the end, leaving the list as it was (${engine})`, async () => {
      const copies = await load()
      const list = Object.freeze(['a', 'c', 'e'])
      assert.deepEqual(copies.withInserted(list, 0, '0'), ['0', 'a', 'c', 'e'])
      assert.deepEqual(copies.withInserted(list, 1, 'b'), ['a', 'b', 'c', 'e'])
      assert.deepEqual(copies.withInserted(list, 3, 'f'), ['a', 'c', 'e', 'f'])
      assert.deepEqual(copies.withInserted([], 0, 'x'), ['x'])
      // An element that is itself an array is inserted as one element, not spread.
      assert.deepEqual(copies.withInserted<unknown>(list, 1, ['b', 'b']), ['a', ['b', 'b'], 'c', 'e'])
      assert.deepEqual(copies.withRemoved(list, 0), ['c', 'e'])
      assert.deepEqual(copies.withRemoved(list, 1), ['a', 'e'])
      assert.deepEqual(copies.withRemoved(list, 2), ['a', 'c'])
      assert.deepEqual(list, ['a', 'c', 'e'])
    })
  }
})
