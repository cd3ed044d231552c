import { connection } from './connection.ts'
import { driver } from './driver.ts'

/**
 * Failed sign-in attempts per username and per client address, in the
 * database so every gateway process and every Lambda instance counts
 * together. See `server/lib/login-throttle.ts` for the policy.
 */
export const THROTTLE_TABLE = 'login_throttle'

export interface ThrottleRow {
  /** `user:<normalised username>` or `address:<ip>`. */
  id: string
  failures: number
  /** Epoch ms of the last failure. */
  lastFailureAt: number
  /** Epoch ms before which attempts are refused. */
  blockedUntil: number
}

export async function throttleRows(ids: readonly string[]): Promise<ThrottleRow[]> {
  const r = await driver()
  const conn = await connection()
  const rows = await Promise.all(ids.map((id) => r.table(THROTTLE_TABLE).get<ThrottleRow>(id).run(conn)))
  return rows.filter((row): row is ThrottleRow => row !== null)
}

export async function saveThrottleRow(row: ThrottleRow): Promise<void> {
  const r = await driver()
  await r
    .table(THROTTLE_TABLE)
    .insert(row, { conflict: 'replace' })
    .run(await connection())
}

export async function clearThrottleRow(id: string): Promise<void> {
  const r = await driver()
  await r
    .table(THROTTLE_TABLE)
    .get(id)
    .delete()
    .run(await connection())
}
