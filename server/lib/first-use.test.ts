import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { firstUse } from './first-use.ts'

describe('firstUse', () => {
  it('makes the value once and gives every later caller the same one', async () => {
    let made = 0
    const load = firstUse(async () => ({ n: ++made }))
    const [a, b] = await Promise.all([load(), load()])
    assert.equal(a, b)
    assert.equal(await load(), a)
    assert.equal(made, 1)
  })

  it('tries a failed load again on the next call instead of keeping the rejection', async () => {
    let attempts = 0
    const load = firstUse(async () => {
      if (++attempts === 1) throw new Error('not yet')
      return 'loaded'
    })
    await assert.rejects(load(), /not yet/)
    assert.equal(await load(), 'loaded')
    assert.equal(attempts, 2)
  })
})
