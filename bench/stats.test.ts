import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { percentile, tailOf } from './stats.ts'

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1)
    assert.equal(percentile(hundred, 50), 50)
    assert.equal(percentile(hundred, 99), 99)
    assert.equal(percentile([3, 1, 2], 100), 3)
    assert.ok(Number.isNaN(percentile([], 50)))
  })
})

describe('tailOf', () => {
  it('tells a few late writes from a wide spread in every write', () => {
    // 99 writes whose three receivers see them at 3, 4 and 5 ms, and one write late as a whole.
    const onTime = Array.from({ length: 99 }, () => [3, 4, 5])
    const tail = tailOf([...onTime, [20, 21, 22]])
    assert.equal(tail.writes, 100)
    assert.equal(tail.slowest, 3, 'the slowest 1 % of 300 deliveries')
    assert.equal(tail.slowestFrom, 1, 'all of them the late write’s')
    assert.equal(tail.first.median, 3)
    assert.equal(tail.first.p99, 3)
    assert.equal(tail.spread.p99, 2, 'no write spread wider than 2 ms')
  })

  it('spreads the slowest deliveries over as many writes when every write spreads wide', () => {
    const tail = tailOf(Array.from({ length: 100 }, (_, write) => [1, 2, 9 + write / 100]))
    assert.equal(tail.slowest, 3)
    assert.equal(tail.slowestFrom, 3)
    assert.ok(Math.abs(tail.spread.median - 8.49) < 1e-9, 'the 50th of spreads 8, 8.01, … 8.99')
  })

  it('leaves out writes that no receiver saw', () => {
    const tail = tailOf([[], [2, 3]])
    assert.equal(tail.writes, 1)
    assert.equal(tail.first.median, 2)
  })
})
