import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { optionConflicts } from './kit-options.ts'

describe('optionConflicts', () => {
  it('names the storage key in effect when the first kit left it unset, not "(not set)"', () => {
    const urls = { apiUrl: 'https://api.example.com', realtimeUrl: 'wss://rt.example.com/deepstream' }
    assert.deepEqual(optionConflicts(urls, { ...urls, storageKey: 'team-b' }), [
      { option: 'storageKey', first: '"rtkit" (the default)', next: '"team-b"' },
    ])
    assert.deepEqual(optionConflicts(urls, { ...urls, storageKey: 'rtkit' }), [], 'the default, said out loud, is no conflict')
    assert.deepEqual(optionConflicts(urls, { ...urls, requestTimeoutMs: 2500 }), [
      { option: 'requestTimeoutMs', first: '(not set)', next: '2500' },
    ])
  })
})
