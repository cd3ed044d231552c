import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { JwksKeys } from './jwks.ts'

// The JWKS cache with a clock and a JWKS endpoint of the test's own.

function rsaJwk(kid: string, extra: object = {}) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig', ...extra }
}

function endpoint(keys: object[]) {
  const calls = { count: 0 }
  const fetch = (async () => {
    calls.count++
    return new Response(JSON.stringify({ keys }), { headers: { 'content-type': 'application/json' } })
  }) as typeof globalThis.fetch
  return { calls, fetch }
}

describe('JwksKeys', () => {
  const url = new URL('https://host.example/.well-known/jwks.json')

  it('finds a rotated key once the refetch interval has passed, and not before', async () => {
    let now = 0
    const keys: object[] = [rsaJwk('k1')]
    const { calls, fetch } = endpoint(keys)
    const jwks = new JwksKeys(url, 'RS256', { fetch, now: () => now, minRefetchMs: 30_000 })
    assert.ok(await jwks.key('k1'))
    keys.push(rsaJwk('k2'))
    now = 10_000
    assert.equal(await jwks.key('k2'), undefined, 'too soon to fetch again')
    assert.equal(calls.count, 1)
    now = 31_000
    assert.ok(await jwks.key('k2'), 'fetched again for the unknown kid')
    assert.equal(calls.count, 2)
  })

  it('shares one fetch among concurrent lookups', async () => {
    const { calls, fetch } = endpoint([rsaJwk('k1')])
    const jwks = new JwksKeys(url, 'RS256', { fetch })
    await Promise.all(Array.from({ length: 10 }, () => jwks.key('k1')))
    assert.equal(calls.count, 1)
  })

  it('refuses keys that do not fit the pinned algorithm: another alg, encryption use, a shared secret', async () => {
    const { fetch } = endpoint([
      rsaJwk('other-alg', { alg: 'RS512' }),
      rsaJwk('encryption', { use: 'enc' }),
      { kty: 'oct', k: 'c2VjcmV0', kid: 'secret', alg: 'RS256' },
    ])
    const jwks = new JwksKeys(url, 'RS256', { fetch })
    for (const kid of ['other-alg', 'encryption', 'secret']) assert.equal(await jwks.key(kid), undefined, kid)
  })

  it('keeps the known keys when the endpoint fails', async () => {
    let now = 0
    let failing = false
    const good = endpoint([rsaJwk('k1')])
    const fetch = (async (...args: Parameters<typeof globalThis.fetch>) => {
      if (failing) throw new Error('down')
      return good.fetch(...args)
    }) as typeof globalThis.fetch
    const jwks = new JwksKeys(url, 'RS256', { fetch, now: () => now, maxAgeMs: 1_000 })
    assert.ok(await jwks.key('k1'))
    failing = true
    now = 5_000
    assert.ok(await jwks.key('k1'), 'still known after a failed refresh')
  })
})
