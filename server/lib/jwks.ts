import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import type { AsymmetricAlgorithm } from '../config.ts'
import { logLater } from './log-later.ts'

/**
 * A host issuer's signing keys, from its JWKS URL, by `kid`: fetched on
 * first use, kept for `maxAgeMs`, fetched again at once for a `kid` not seen
 * yet (a key rotation) but at most once per `minRefetchMs`, so a flood of
 * tokens with made-up `kid`s cannot turn into a flood of fetches. Concurrent
 * lookups share one fetch; a failed fetch keeps the keys already known.
 *
 * Written here rather than with `jwks-rsa`: the caching rules above are a
 * few lines, key parsing is Node's own (`crypto.createPublicKey` reads JWKs),
 * and the library would bring Express typings, `jose` and an LRU into every
 * Lambda bundle that verifies a token.
 *
 * @example
 * const keys = new JwksKeys(new URL('https://auth.example.com/.well-known/jwks.json'), 'RS256')
 * const key = await keys.key(header.kid) // KeyObject, or undefined for an unknown kid
 */
export class JwksKeys {
  #keys = new Map<string, KeyObject>()
  #fetchedAt = Number.NEGATIVE_INFINITY
  #fetching: Promise<void> | undefined

  constructor(
    private readonly url: URL,
    private readonly algorithm: AsymmetricAlgorithm,
    private readonly options: {
      maxAgeMs?: number
      minRefetchMs?: number
      timeoutMs?: number
      fetch?: typeof fetch
      now?: () => number
    } = {},
  ) {}

  /** The key with id `kid` fit for the pinned algorithm, or `undefined`. */
  async key(kid: string | undefined): Promise<KeyObject | undefined> {
    const now = this.#now()
    const stale = now - this.#fetchedAt > (this.options.maxAgeMs ?? 10 * 60_000)
    const unknown = !this.#keys.has(kid ?? '')
    const mayRefetch = now - this.#fetchedAt >= (this.options.minRefetchMs ?? 30_000)
    if (stale || (unknown && mayRefetch)) await this.#refresh()
    if (kid === undefined) return this.#keys.size === 1 ? [...this.#keys.values()][0] : undefined
    return this.#keys.get(kid)
  }

  #now(): number {
    return (this.options.now ?? Date.now)()
  }

  #refresh(): Promise<void> {
    this.#fetching ??= this.#fetch().finally(() => {
      this.#fetching = undefined
    })
    return this.#fetching
  }

  async #fetch(): Promise<void> {
    // Counted as an attempt even when it fails: a down JWKS endpoint is not retried on every request.
    this.#fetchedAt = this.#now()
    try {
      const response = await (this.options.fetch ?? fetch)(this.url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) })
      if (!response.ok) throw new Error(`JWKS answered ${response.status}`)
      const body = (await response.json()) as { keys?: unknown }
      if (!Array.isArray(body.keys)) throw new Error('JWKS has no "keys" array')
      const keys = new Map<string, KeyObject>()
      for (const jwk of body.keys as Array<JsonWebKey & { kid?: unknown; alg?: unknown; use?: unknown }>) {
        if (typeof jwk.kid !== 'string' || !fits(jwk, this.algorithm)) continue
        try {
          keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }))
        } catch (error) {
          void logLater((log) => log.warn({ err: error, kid: jwk.kid }, 'skipped a JWKS key that does not parse'))
        }
      }
      this.#keys = keys
    } catch (error) {
      await logLater((log) =>
        log.warn({ err: error, url: this.url.href }, 'could not fetch the host issuer JWKS; keeping the keys known so far'),
      )
    }
  }
}

/** Whether a JWK may verify `algorithm`: a public signing key of the matching type (never a shared secret). */
function fits(jwk: JsonWebKey & { alg?: unknown; use?: unknown }, algorithm: AsymmetricAlgorithm): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false
  if (jwk.alg !== undefined && jwk.alg !== algorithm) return false
  if (jwk.d !== undefined) return false // a private key has no business in a JWKS
  const family = algorithm.slice(0, 2)
  return (family === 'ES' && jwk.kty === 'EC') || ((family === 'RS' || family === 'PS') && jwk.kty === 'RSA')
}
