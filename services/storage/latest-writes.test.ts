import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KeyValueStorage } from './key-value-storage.ts'
import { LatestWrites } from './latest-writes.ts'
import { MemoryStorage } from './memory-storage.ts'

/** Storage whose writes finish only when the test says so, in any order. */
function heldStorage() {
  const values = new Map<string, string>()
  const held: { key: string; value: string | null; finish: () => void }[] = []
  const hold = (key: string, value: string | null) =>
    new Promise<void>((resolve) => {
      held.push({
        key,
        value,
        finish: () => {
          if (value === null) values.delete(key)
          else values.set(key, value)
          resolve()
        },
      })
    })
  const storage: KeyValueStorage = { get: (key) => values.get(key) ?? null, set: hold, remove: (key) => hold(key, null) }
  return { storage, values, held }
}

describe('LatestWrites', () => {
  it('never lets an older snapshot land after a newer one, and skips the ones in between', async () => {
    const { storage, values, held } = heldStorage()
    const writes = new LatestWrites(storage, 'a test value')
    writes.write('k', 'one')
    writes.write('k', 'two')
    writes.write('k', 'three')
    assert.deepEqual(
      held.map((h) => h.value),
      ['one'],
      'one write at a time',
    )
    held[0]!.finish()
    await new Promise((resolve) => setTimeout(resolve, 0))
    assert.deepEqual(
      held.map((h) => h.value),
      ['one', 'three'],
    )
    held[1]!.finish()
    await writes.written('k')
    assert.equal(values.get('k'), 'three')
  })

  it('writes synchronous storage at once', () => {
    const storage = new MemoryStorage()
    const writes = new LatestWrites(storage, 'a test value')
    writes.write('k', 'one')
    assert.equal(storage.get('k'), 'one')
    writes.write('k', null)
  })

  it('keeps writing after a failed write', async () => {
    let calls = 0
    const values = new Map<string, string>()
    const storage: KeyValueStorage = {
      get: (key) => values.get(key) ?? null,
      set: (key, value) => {
        if (calls++ === 0) throw new Error('quota exceeded')
        values.set(key, value)
      },
      remove: (key) => void values.delete(key),
    }
    const writes = new LatestWrites(storage, 'a test value')
    const warn = console.warn
    console.warn = () => undefined
    try {
      writes.write('k', 'lost')
      await writes.written('k')
      writes.write('k', 'kept')
      await writes.written('k')
    } finally {
      console.warn = warn
    }
    assert.equal(values.get('k'), 'kept')
  })
})
