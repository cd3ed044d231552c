import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IdMap } from './id-map.ts'

describe('IdMap', () => {
  it('keeps entries in id order, the later of two equal ids winning', () => {
    const map = IdMap.from([
      ['t3', 3],
      ['t1', 1],
      ['t2', 2],
      ['t1', 10],
    ])
    assert.deepEqual(map.keys(), ['t1', 't2', 't3'])
    assert.deepEqual(map.values(), [10, 2, 3])
    assert.equal(map.size, 3)
    assert.equal(map.get('t2'), 2)
    assert.equal(map.get('t0'), undefined)
    assert.equal(map.has('t3'), true)
    assert.equal(map.has('t4'), false)
  })

  it('returns a new map on a change and leaves the old one as it was', () => {
    const before = IdMap.from([
      ['b', 'B'],
      ['d', 'D'],
    ])
    const added = before.set('c', 'C').set('a', 'A').set('e', 'E')
    assert.deepEqual(added.keys(), ['a', 'b', 'c', 'd', 'e'])
    assert.deepEqual(before.keys(), ['b', 'd'])
    const replaced = added.set('c', 'C2')
    assert.deepEqual(replaced.values(), ['A', 'B', 'C2', 'D', 'E'])
    assert.equal(replaced.keys(), added.keys(), 'replacing a value keeps the ids array')
    const removed = replaced.delete('a').delete('e').delete('c')
    assert.deepEqual(removed.values(), ['B', 'D'])
    assert.deepEqual(replaced.values(), ['A', 'B', 'C2', 'D', 'E'])
  })

  it('returns itself when nothing changes', () => {
    const map = IdMap.from([['a', 1]])
    assert.equal(map.set('a', 1), map)
    assert.equal(map.delete('b'), map)
    assert.equal(map.values(), map.values(), 'the same array until the map changes')
  })
})
