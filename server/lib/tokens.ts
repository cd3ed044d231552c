import { createHash, createPublicKey, createSecretKey, randomUUID, type KeyObject } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { parseAccessClaim } from '../../contracts/access.ts'
import type { UserProfile } from '../../contracts/documents.ts'
import { LruCache } from '../../contracts/lru-cache.ts'
import { hostUserId, Role, type Principal } from '../../contracts/principal.ts'
import { config, type HostIssuerConfig, type JwtConfig } from '../config.ts'
import { safeDisplayName } from '../../contracts/text.ts'
import { UnauthorizedError } from './errors.ts'
import { JwksKeys } from './jwks.ts'
import { TokenSource } from './token-source.ts'

export { TokenSource }

/** A token that passed verification, and what the server needs to know of it. */
export interface VerifiedToken {
  readonly principal: Principal
  readonly source: TokenSource
  /**
   * Names this one token for revocation: a digest of its issuer, subject and
   * `jti` (or `iat`, for a host token without a `jti`), so two users whose
   * tokens share a `jti` are never revoked together. 43 characters, within
   * RethinkDB's primary key limit whatever the claims' lengths.
   */
  readonly key: string
  /** `exp`, seconds since the epoch (every token has one). */
  readonly expiresAt: number
  /** `iat`, seconds, when the token has one (rtkit's always do): an account's sessions end by it. */
  readonly issuedAt?: number
}

/** Claims rtkit puts into a token besides the registered ones. */
interface RtkitClaims {
  username: string
  name: string
  role: Role
}

/**
 * Signs a token for `profile` with rtkit's own key. `role: service` is issued
 * in-process to the bridge and never by a route.
 */
export function issueToken(
  profile: UserProfile,
  role: Role = Role.user,
  keys: JwtConfig = config().jwt,
): { token: string; expiresAt: number } {
  const claims: RtkitClaims = { username: profile.username, name: profile.name, role }
  const token = jwt.sign(claims, keys.signingKey, {
    algorithm: keys.algorithm,
    subject: profile.id,
    issuer: keys.issuer,
    audience: keys.audience,
    expiresIn: keys.ttlSeconds,
    jwtid: randomUUID(),
  })
  const expiresAt = Math.floor(Date.now() / 1000) + keys.ttlSeconds
  return { token, expiresAt }
}

/** One trusted issuer: its name (`iss`) and how its tokens are checked. */
interface Issuer {
  readonly source: TokenSource
  readonly name: string
  /** `clockTimestamp`: now, in seconds, for `exp` and `nbf`. */
  verify(token: string, header: jwt.JwtHeader, clockTimestamp: number): Promise<jwt.JwtPayload>
}

function checked(token: string, key: string | KeyObject, options: jwt.VerifyOptions): jwt.JwtPayload {
  const payload = jwt.verify(token, key, options)
  if (typeof payload === 'string') throw new UnauthorizedError('invalid token')
  return payload
}

function rtkitIssuer(keys: JwtConfig): Issuer {
  // A KeyObject made once: given a string, jsonwebtoken tries to parse it as a PEM on every call.
  const key = keys.algorithm.startsWith('HS') ? createSecretKey(Buffer.from(keys.verifyingKey, 'utf8')) : createPublicKey(keys.verifyingKey)
  const options: jwt.VerifyOptions = { algorithms: [keys.algorithm], issuer: keys.issuer, audience: keys.audience }
  return {
    source: TokenSource.rtkit,
    name: keys.issuer,
    verify: async (token, _header, clockTimestamp) => checked(token, key, { ...options, clockTimestamp }),
  }
}

/** How far ahead of ours a host's clock may run: a token issued (`iat`) later than this from now is refused. */
export const CLOCK_SKEW_SECONDS = 60

/**
 * Refuses a host token issued in the future (beyond {@link CLOCK_SKEW_SECONDS})
 * or living longer than `maxLifetime` seconds (`RTKIT_AUTH_MAX_LIFETIME`):
 * `exp - iat`, or `exp - now` for a token without `iat`. A leaked token is
 * then good for a bounded time, whatever the host signed.
 */
function checkLifetime(payload: jwt.JwtPayload, now: number, maxLifetime: number): jwt.JwtPayload {
  const { iat, exp } = payload
  if (typeof exp !== 'number') return payload // refused as having no expiry
  if (iat !== undefined && typeof iat !== 'number') throw new UnauthorizedError('invalid token: malformed iat')
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) throw new UnauthorizedError('invalid token: issued in the future')
  if (exp - (iat ?? now) > maxLifetime) throw new UnauthorizedError('invalid token: lives longer than the maximum lifetime')
  return payload
}

function hostIssuer(settings: HostIssuerConfig): Issuer {
  const options: jwt.VerifyOptions = { algorithms: [settings.algorithm], issuer: settings.issuer, audience: settings.audience }
  const lifetimeChecked = (payload: jwt.JwtPayload, clockTimestamp: number) =>
    checkLifetime(payload, clockTimestamp, settings.maxLifetimeSeconds)
  if (settings.publicKey) {
    const key = createPublicKey(settings.publicKey)
    return {
      source: TokenSource.host,
      name: settings.issuer,
      verify: async (token, _header, clockTimestamp) =>
        lifetimeChecked(checked(token, key, { ...options, clockTimestamp }), clockTimestamp),
    }
  }
  const jwks = new JwksKeys(settings.jwksUrl!, settings.algorithm)
  return {
    source: TokenSource.host,
    name: settings.issuer,
    async verify(token, header, clockTimestamp) {
      const key = await jwks.key(header.kid)
      if (!key) throw new UnauthorizedError('invalid token: unknown signing key')
      return lifetimeChecked(checked(token, key, { ...options, clockTimestamp }), clockTimestamp)
    },
  }
}

/** The issuers a server trusts: rtkit's own key, and the host's when configured. */
export interface Verifier {
  verify(token: string | undefined): Promise<VerifiedToken>
}

/** How many verified tokens a verifier remembers; the least recently used is forgotten first. */
export const VERIFIED_CACHE_SIZE = 10_000

/**
 * Verified tokens by their exact text, until they expire. A token is
 * immutable and its signature checks out or not for good, so verifying it
 * again on each request of a session only repeats the work (decoding twice,
 * an HMAC or a signature check: about a fifth of a write's server time).
 * Only a token that passed every check is remembered, so a forged one never
 * gets in; its expiry is checked on every use; revocation is not a property
 * of the token and is checked apart from this (`assertSessionLive`).
 */
class VerifiedTokens {
  readonly #tokens = new LruCache<string, VerifiedToken>(VERIFIED_CACHE_SIZE)

  constructor(private readonly now: () => number) {}

  /** The token's verification, if remembered and not expired; `expired` once it has. */
  get(token: string): VerifiedToken | 'expired' | undefined {
    const verified = this.#tokens.get(token)
    if (!verified) return undefined
    // jsonwebtoken's rule: expired from the second `exp` names on.
    if (Math.floor(this.now() / 1000) < verified.expiresAt) return verified
    this.#tokens.delete(token)
    return 'expired'
  }

  add(token: string, verified: VerifiedToken): void {
    this.#tokens.set(token, verified)
  }
}

/**
 * The one verifier of the HTTP API and deepstream. The token's `iss` picks
 * the issuer; each issuer pins its algorithm, audience and keys (a host
 * issuer accepts asymmetric algorithms only, so its public key can never
 * double as an HMAC secret). Every token must carry `exp`.
 *
 * - rtkit tokens carry `username`, `name`, `role` (`user` or `service`).
 * - Host tokens carry `sub`, `name` and an optional `access` claim
 *   (`contracts/access.ts`); `role: service` is never honoured from them.
 *   The user id is `host:<sub>` ({@link hostUserId}), never an rtkit
 *   account's; `iat` may not lie in the future, and the lifetime is bounded
 *   (`RTKIT_AUTH_MAX_LIFETIME`).
 *
 * @example
 * const verifier = createVerifier(config().jwt, config().hostIssuer)
 * const { principal } = await verifier.verify(bearerToken(header))
 */
export function createVerifier(keys: JwtConfig, host: HostIssuerConfig | undefined, now: () => number = Date.now): Verifier {
  const issuers = new Map<string, Issuer>([[keys.issuer, rtkitIssuer(keys)]])
  if (host) issuers.set(host.issuer, hostIssuer(host))
  const verified = new VerifiedTokens(now)
  return {
    async verify(token) {
      if (!token) throw new UnauthorizedError()
      const known = verified.get(token)
      if (known === 'expired') throw new UnauthorizedError('token expired')
      if (known) return known
      const decoded = jwt.decode(token, { complete: true })
      const claimedIssuer = typeof decoded?.payload === 'object' ? decoded.payload.iss : undefined
      const issuer = typeof claimedIssuer === 'string' ? issuers.get(claimedIssuer) : undefined
      if (!decoded || !issuer) throw new UnauthorizedError('invalid token')
      let payload: jwt.JwtPayload
      try {
        payload = await issuer.verify(token, decoded.header, Math.floor(now() / 1000))
      } catch (error) {
        if (error instanceof UnauthorizedError) throw error
        throw new UnauthorizedError(error instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token', { cause: error })
      }
      const result = issuer.source === TokenSource.rtkit ? rtkitToken(payload) : hostToken(payload)
      verified.add(token, result)
      return result
    },
  }
}

const MAX_ID_BYTES = 127

function registered(payload: jwt.JwtPayload): { sub: string; exp: number } {
  const { sub, exp } = payload
  if (typeof sub !== 'string' || sub === '' || sub.length > 128) throw new UnauthorizedError('invalid token: no subject')
  if (typeof exp !== 'number') throw new UnauthorizedError('invalid token: no expiry')
  return { sub, exp }
}

function keyOf(payload: jwt.JwtPayload, sub: string): string {
  const jti = typeof payload.jti === 'string' && payload.jti !== '' ? payload.jti : null
  const names = [payload.iss, sub, jti, jti === null ? (payload.iat ?? null) : null]
  return createHash('sha256').update(JSON.stringify(names)).digest('base64url')
}

function rtkitToken(payload: jwt.JwtPayload): VerifiedToken {
  const { sub, exp } = registered(payload)
  const { username, name, role } = payload as jwt.JwtPayload & Partial<RtkitClaims>
  if (typeof username !== 'string' || typeof name !== 'string') throw new UnauthorizedError('invalid token')
  if (role !== Role.user && role !== Role.service) throw new UnauthorizedError('invalid token')
  const issuedAt = typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}
  return { principal: { id: sub, username, name, role }, source: TokenSource.rtkit, key: keyOf(payload, sub), expiresAt: exp, ...issuedAt }
}

function hostToken(payload: jwt.JwtPayload): VerifiedToken {
  const { sub, exp } = registered(payload)
  if (payload.role === Role.service) throw new UnauthorizedError('invalid token: a host token cannot act as a service')
  const access = parseAccessClaim(payload.access)
  if (access === null) throw new UnauthorizedError('invalid token: malformed access claim')
  const username = typeof payload.preferred_username === 'string' ? payload.preferred_username : sub
  const id = hostUserId(sub)
  // The id keys the host user's profile row; RethinkDB's primary keys hold 127 bytes.
  if (Buffer.byteLength(id) > MAX_ID_BYTES) throw new UnauthorizedError('invalid token: subject too long')
  const principal: Principal = {
    id,
    username,
    name: safeDisplayName(payload.name, sub),
    role: Role.user,
    ...(access ? { access } : {}),
  }
  return { principal, source: TokenSource.host, key: keyOf(payload, sub), expiresAt: exp }
}

let verifier: Verifier | undefined
let verifierConfig: unknown

/** The process-wide verifier, built from the configuration (rebuilt when the configuration is replaced). */
export function defaultVerifier(): Verifier {
  const cfg = config()
  if (!verifier || verifierConfig !== cfg) {
    verifier = createVerifier(cfg.jwt, cfg.hostIssuer)
    verifierConfig = cfg
  }
  return verifier
}

/** Extracts the token from an `Authorization: Bearer …` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}
