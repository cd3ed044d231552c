import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pairedRatioBar, percentile, tailOf } from './stats.ts'

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

describe('pairedRatioBar', () => {
  it('judges the bar on the median of the rounds’ ratios, not on the ratio of the two medians', () => {
    // Each side lands in a fast or a slow mode; the medians sit in opposite modes (18 / 4.4 > 4),
    // while within each round the figure is about 3 × its baseline.
    const baseline = [4.4, 4.4, 4.4, 4.4, 6.4, 6.4, 6.4]
    const measured = [13, 13, 13, 18, 18, 18, 18]
    const bar = pairedRatioBar(measured, baseline, 'cold.baseline', 4, { digits: 1 })
    assert.deepEqual(bar.rounds, [2.95, 2.95, 2.95, 4.09, 2.81, 2.81, 2.81])
    assert.equal(bar.ratio, 2.95)
    assert.equal(bar.meets, true)
    assert.equal(bar.baseline, 4.4, 'the baseline’s median, for the chart')
    assert.equal(bar.limit, 24.4, 'the bar in ms as the paired ratio sets it: 18 × 4 / 2.95')
  })

  it('misses when most rounds miss, and reads a rate bar as a floor', () => {
    const slow = pairedRatioBar([20, 21, 19], [4, 4, 5], 'cold.baseline', 4)
    assert.equal(slow.meets, false)
    const rates = pairedRatioBar([1600, 1500, 1700], [3000, 3300, 3100], 'write.baseline', 0.5, { atLeast: true, digits: 0 })
    assert.equal(rates.meets, true)
    assert.equal(rates.ratio, 0.53)
    assert.match(rates.bar!, /^≥ 0.5 × write.baseline, round by round/)
  })

  it('refuses rounds without a baseline each', () => {
    assert.throws(() => pairedRatioBar([1, 2], [1], 'x', 2), /one baseline sample per round: 2 against 1/)
  })
})
