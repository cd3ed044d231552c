import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffDelay } from './backoff.ts'

const policy = { initialMs: 100, maxMs: 5_000 }

describe('backoffDelay', () => {
  it('grows exponentially between half and all of the ceiling', () => {
    assert.equal(
      backoffDelay(0, policy, () => 0),
      50,
    )
    assert.equal(
      backoffDelay(0, policy, () => 1),
      100,
    )
    assert.equal(
      backoffDelay(3, policy, () => 0),
      400,
    )
    assert.equal(
      backoffDelay(3, policy, () => 1),
      800,
    )
  })

  it('never exceeds the maximum, however many attempts', () => {
    for (const attempt of [6, 10, 100, 10_000]) {
      assert.ok(backoffDelay(attempt, policy, () => 1) <= policy.maxMs, `attempt ${attempt}`)
      assert.ok(backoffDelay(attempt, policy, () => 0) >= policy.maxMs / 2, `attempt ${attempt}`)
    }
  })

  it('jitters: different random draws give different delays', () => {
    assert.notEqual(
      backoffDelay(2, policy, () => 0.1),
      backoffDelay(2, policy, () => 0.9),
    )
  })
})
