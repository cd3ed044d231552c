import { connection } from './connection.ts'
import { driver } from './driver.ts'

/**
 * Deletes every row of `table` whose `expiresAt` (an index of that name,
 * milliseconds) has passed at `now`; resolves how many. The housekeeping of
 * the tables whose rows only matter for a while: the sign-in throttle's and
 * the functions' idempotency keys.
 */
export async function deleteExpiredRows(table: string, now: number): Promise<number> {
  const r = await driver()
  const result = await r
    .table(table)
    .between(0, now, { index: 'expiresAt' })
    .delete()
    .run(await connection())
  return result.deleted
}
