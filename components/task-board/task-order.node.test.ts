import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { orderAt, orderBetween } from './task-order.ts'

describe('orderBetween / orderAt', () => {
  it('places between, after, before, or alone', () => {
    assert.equal(orderBetween(1, 2), 1.5)
    assert.equal(orderBetween(3, undefined), 4)
    assert.equal(orderBetween(undefined, 3), 2)
    assert.equal(orderBetween(undefined, undefined), 1)
    assert.equal(orderBetween(2, 2), 2)
  })

  it('gives the order for an index of the destination column, clamped to its ends', () => {
    const column = [{ order: 1 }, { order: 2 }]
    assert.equal(orderAt(column, 0), 0)
    assert.equal(orderAt(column, 1), 1.5)
    assert.equal(orderAt(column, 9), 3)
    assert.equal(orderAt(column, -4), 0)
    assert.equal(orderAt([], 0), 1)
  })
})
