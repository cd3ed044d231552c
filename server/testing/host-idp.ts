import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import jwt from 'jsonwebtoken'

/**
 * A host app's identity provider for tests: RSA keys by `kid`, served as a
 * JWKS on loopback, signing RS256 tokens for `issuer` and `audience`.
 *
 * @example
 * const idp = await startHostIdp()
 * const stack = await startTestStack(idp.env())
 * const token = idp.sign({ sub: 'carol', name: 'Carol', access: { 'tasks/acme-*': 'write' } })
 */
export class HostIdp {
  readonly keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>()
  readonly issuer = 'https://host.example'
  readonly audience = 'rtkit'
  /** How many times the JWKS was fetched. */
  fetches = 0
  url = ''
  #server: Server | undefined
  #current = ''

  /** Adds a key and signs with it from now on (a rotation). */
  rotate(kid: string): void {
    this.keys.set(kid, generateKeyPairSync('rsa', { modulusLength: 2048 }))
    this.#current = kid
  }

  async start(): Promise<this> {
    if (!this.#current) this.rotate('k1')
    this.#server = createServer((_request, response) => {
      this.fetches++
      const jwks = [...this.keys].map(([kid, pair]) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }))
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ keys: jwks }))
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/.well-known/jwks.json`
    return this
  }

  /** The server variables that trust this provider. */
  env(): NodeJS.ProcessEnv {
    return { RTKIT_AUTH_ISSUER: this.issuer, RTKIT_AUTH_AUDIENCE: this.audience, RTKIT_AUTH_JWKS_URL: this.url }
  }

  /**
   * Signs `payload` with the current key (or `kid`); `options` override the
   * defaults (10 minutes' expiry; `noExpiry` leaves `exp` out).
   */
  sign(payload: object, options: jwt.SignOptions & { kid?: string; noExpiry?: boolean } = {}): string {
    const { kid = this.#current, noExpiry = false, ...rest } = options
    const signOptions: jwt.SignOptions = {
      algorithm: 'RS256',
      keyid: kid,
      issuer: this.issuer,
      audience: this.audience,
      expiresIn: 600,
      ...rest,
    }
    if (noExpiry) delete signOptions.expiresIn
    return jwt.sign(payload, this.keys.get(kid)!.privateKey, signOptions)
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }
}

export function startHostIdp(): Promise<HostIdp> {
  return new HostIdp().start()
}
