import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LruCache } from './lru-cache.ts'

describe('LruCache', () => {
  it('holds at most max entries and forgets the least recently used first', () => {
    const cache = new LruCache<string, number>(2)
    cache.set('a', 1).set('b', 2)
    assert.equal(cache.get('a'), 1) // a is now more recent than b
    cache.set('c', 3)
    assert.deepEqual([cache.has('a'), cache.has('b'), cache.has('c'), cache.size], [true, false, true, 2])
  })

  it('counts a rewrite as a use, not as another entry', () => {
    const cache = new LruCache<string, number>(2)
    cache.set('a', 1).set('b', 2).set('a', 10).set('c', 3)
    assert.deepEqual([cache.get('a'), cache.has('b'), cache.size], [10, false, 2])
  })

  it('keeps undefined values apart from absent ones, and refuses a size of zero', () => {
    const cache = new LruCache<string, undefined>(1)
    cache.set('a', undefined)
    assert.equal(cache.has('a'), true)
    assert.throws(() => new LruCache(0), RangeError)
  })
})
