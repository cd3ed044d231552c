import { revoke } from '../db/revocations.ts'
import { json, route } from '../lib/route.ts'
import { forgetSessionCheck } from '../lib/session-guard.ts'

/**
 * `POST /auth/logout` → 200 `{ revoked: true }`: the bearer token stops
 * working, over HTTP at once and on deepstream for every open session that
 * signed in with it (within a few seconds on other processes). Other
 * sessions of the same user keep theirs.
 */
export const handler = route({ auth: true }, async ({ user, token }) => {
  await revoke({ id: token.key, userId: user.id, expiresAt: token.expiresAt, revokedAt: new Date().toISOString() })
  forgetSessionCheck(token.key)
  return json(200, { revoked: true })
})
