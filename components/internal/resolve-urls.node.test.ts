import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { kitKey, resolveKitUrls } from './resolve-urls.ts'

const global = globalThis as { document?: { baseURI: string } }

describe('resolveKitUrls / kitKey', () => {
  afterEach(() => delete global.document)

  it('resolves relative URLs against the page and turns http(s) into ws(s) for realtime', () => {
    global.document = { baseURI: 'https://shop.example/app/page.html' }
    assert.deepEqual(resolveKitUrls({ apiUrl: '/api/', realtimeUrl: '/deepstream' }), {
      apiUrl: 'https://shop.example/api',
      realtimeUrl: 'wss://shop.example/deepstream',
    })
    global.document = { baseURI: 'http://127.0.0.1:5173/' }
    assert.equal(resolveKitUrls({ apiUrl: 'api', realtimeUrl: 'rt' }).realtimeUrl, 'ws://127.0.0.1:5173/rt')
  })

  it('keeps absolute URLs, also without a page (Node)', () => {
    assert.deepEqual(resolveKitUrls({ apiUrl: 'https://api.example.com', realtimeUrl: 'wss://rt.example.com/deepstream' }), {
      apiUrl: 'https://api.example.com',
      realtimeUrl: 'wss://rt.example.com/deepstream',
    })
  })

  it('gives equal keys to options that build the same kit', () => {
    const a = kitKey({ apiUrl: 'https://api.example.com/', realtimeUrl: 'wss://rt.example.com/deepstream' })
    const b = kitKey({ apiUrl: 'https://api.example.com', realtimeUrl: 'wss://rt.example.com/deepstream', storageKey: 'rtkit' })
    const c = kitKey({ apiUrl: 'https://api.example.com', realtimeUrl: 'wss://rt.example.com/deepstream', storageKey: 'other' })
    assert.equal(a, b)
    assert.notEqual(a, c)
  })
})
