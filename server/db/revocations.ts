import { connection } from './connection.ts'
import { driver } from './driver.ts'

/**
 * Tokens signed out before they expired (`POST /auth/logout`), by token key
 * (see `VerifiedToken.key`: issuer, subject and token id). A row is only
 * needed until the token's own expiry; older rows are removed as new ones
 * come in.
 */
export const REVOCATIONS_TABLE = 'revocations'

/** The secondary index on `expiresAt` (migrations create it): housekeeping reads a range of it, not the table. */
export const REVOCATIONS_EXPIRY_INDEX = 'expiresAt'

export interface Revocation {
  /** The token's key. */
  id: string
  userId: string
  /** The token's `exp`, seconds: after it the row is moot. */
  expiresAt: number
  revokedAt: string
}

export async function revoke(revocation: Revocation): Promise<void> {
  const r = await driver()
  const conn = await connection()
  await r.table(REVOCATIONS_TABLE).insert(revocation, { conflict: 'replace' }).run(conn)
  // Housekeeping: rows of tokens that have expired anyway, found by the index.
  await r
    .table(REVOCATIONS_TABLE)
    .between(0, Math.floor(Date.now() / 1000), { index: REVOCATIONS_EXPIRY_INDEX })
    .delete()
    .run(conn)
}

/** Whether the token `key` was signed out: one read by primary key. */
export async function isRevoked(key: string): Promise<boolean> {
  const r = await driver()
  const row = await r
    .table(REVOCATIONS_TABLE)
    .get(key)
    .run(await connection())
  return row !== null
}
