import { LruCache } from '../../contracts/lru-cache.ts'
import { Role } from '../../contracts/principal.ts'
import { isRevoked } from '../db/revocations.ts'
import { accountRefusal, findUserById } from '../db/users.ts'
import { UnauthorizedError } from './errors.ts'
import { TokenSource } from './token-source.ts'
import type { VerifiedToken } from './tokens.ts'

/** How long a check's answer is reused, ms: a logout or deletion elsewhere takes effect within this. */
export const SESSION_CHECK_TTL_MS = 5_000

/** How many tokens' answers are kept; the least recently used is forgotten first. */
export const SESSION_CHECK_CACHE_SIZE = 10_000

const checked = new LruCache<string, { until: number; refusal: string | undefined }>(SESSION_CHECK_CACHE_SIZE)

/**
 * Refuses a token that verifies but must no longer work: signed out
 * (`POST /auth/logout` revoked it) or, for an rtkit account, whose user was
 * deleted, disabled, or had its sessions ended (`rtkit-server users`).
 * Answers are cached per token for {@link SESSION_CHECK_TTL_MS}, so a busy
 * session costs two reads every few seconds, not per request. The
 * bridge's in-process service token is not checked.
 *
 * @throws {UnauthorizedError} with the reason
 */
export async function assertSessionLive(token: VerifiedToken, now = Date.now()): Promise<void> {
  if (token.principal.role === Role.service) return
  let entry = checked.get(token.key)
  if (!entry || entry.until <= now) {
    const [revoked, user] = await Promise.all([
      isRevoked(token.key),
      token.source === TokenSource.rtkit ? findUserById(token.principal.id) : Promise.resolve(null),
    ])
    const refusal = revoked
      ? 'token revoked'
      : token.source !== TokenSource.rtkit
        ? undefined
        : !user
          ? 'user no longer exists'
          : accountRefusal(user, token.issuedAt)
    entry = { until: now + SESSION_CHECK_TTL_MS, refusal }
    checked.set(token.key, entry)
  }
  if (entry.refusal) throw new UnauthorizedError(entry.refusal)
}

/** Forgets the cached answer for one token (this process revoked it), so the refusal is immediate here. */
export function forgetSessionCheck(key: string): void {
  checked.delete(key)
}
