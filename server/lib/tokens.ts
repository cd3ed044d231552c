import jwt from 'jsonwebtoken'
import type { UserProfile } from '../../contracts/documents.ts'
import { Role, type Principal } from '../../contracts/principal.ts'
import { config, type JwtConfig } from '../config.ts'
import { UnauthorizedError } from './errors.ts'

/** Claims rtkit puts into a token besides the registered ones. */
interface RtkitClaims {
  username: string
  name: string
  role: Role
}

/**
 * Signs a token for `profile`. Only the server signs tokens; `role: service`
 * is issued in-process to the bridge and never by a route.
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
  })
  const expiresAt = Math.floor(Date.now() / 1000) + keys.ttlSeconds
  return { token, expiresAt }
}

/**
 * Verifies `token` (algorithm pinned, `iss`, `aud`, `exp` checked) and returns
 * its principal. This one verifier serves the Lambdas and deepstream.
 *
 * @throws {UnauthorizedError} for a missing, malformed, expired or forged token.
 */
export function verifyToken(token: string | undefined, keys: JwtConfig = config().jwt): Principal {
  if (!token) throw new UnauthorizedError()
  let payload: string | jwt.JwtPayload
  try {
    payload = jwt.verify(token, keys.verifyingKey, {
      algorithms: [keys.algorithm],
      issuer: keys.issuer,
      audience: keys.audience,
    })
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'token expired' : 'invalid token'
    throw new UnauthorizedError(reason, { cause: error })
  }
  if (typeof payload === 'string') throw new UnauthorizedError('invalid token')
  const { sub, username, name, role } = payload as jwt.JwtPayload & Partial<RtkitClaims>
  if (typeof sub !== 'string' || typeof username !== 'string' || typeof name !== 'string') {
    throw new UnauthorizedError('invalid token')
  }
  if (role !== Role.user && role !== Role.service) throw new UnauthorizedError('invalid token')
  return { id: sub, username, name, role }
}

/** Extracts the token from an `Authorization: Bearer …` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}
