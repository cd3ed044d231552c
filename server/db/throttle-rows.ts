import type R from 'rethinkdb'
import { connection } from './connection.ts'
import { driver, getAllOf } from './driver.ts'

/**
 * Sign-in and registration counts, in the database so every gateway process
 * and every Lambda instance counts together. See `server/lib/login-throttle.ts`
 * for the policy. Every row carries `expiresAt`, after which it means
 * nothing; `deleteExpiredRows` (`expired-rows.ts`) removes those (housekeeping), by the
 * `expiresAt` index.
 */
export const THROTTLE_TABLE = 'login_throttle'

export interface ThrottleRow {
  /** `pair:<username>|<address>`, `user:<username>`, `address:<ip>` or `registered:<ip>`. */
  id: string
  /** Failures within the window (attempts under way included); for `registered:` rows, accounts made. */
  failures: number
  /** Epoch ms of the last failure (for `registered:` rows, when the window began). */
  lastFailureAt: number
  /** Epoch ms before which attempts are refused. */
  blockedUntil: number
  /** Epoch ms of the last successful sign-in (pair rows): the address is known to the account. */
  lastSuccessAt?: number
  /** Epoch ms after which the row is moot and may be deleted. */
  expiresAt: number
  /** Raised by one on every write, for compare-and-set. */
  rev: number
}

/** The rows of `ids` that exist, by id: one query. */
export async function throttleRows(ids: readonly string[]): Promise<Map<string, ThrottleRow>> {
  const r = await driver()
  const conn = await connection()
  const rows = (await (await getAllOf(r.table(THROTTLE_TABLE), ids).run(conn)).toArray()) as ThrottleRow[]
  return new Map(rows.map((row) => [row.id, row]))
}

// @types/rethinkdb lacks r.error and types r.branch too narrowly for write functions.
interface Untyped {
  branch(test: unknown, whenTrue: unknown, whenFalse: unknown): object
  error(message: string): unknown
}

/**
 * Writes `next` only if the stored row is still the one read: absent when
 * `read` is undefined (an insert, which fails on a row another writer
 * made), else at `read.rev` (a row written before revisions counts as 0).
 * One ReQL write each, atomic per document on RethinkDB. Resolves `false`
 * when another writer came first.
 */
export async function compareAndSetThrottleRow(read: ThrottleRow | undefined, next: ThrottleRow): Promise<boolean> {
  const r = await driver()
  const conn = await connection()
  if (!read) {
    const result = await r.table(THROTTLE_TABLE).insert(next, { conflict: 'error' }).run(conn)
    return result.inserted === 1
  }
  const untyped = r as unknown as Untyped
  const expectedRev = read.rev ?? 0
  const result = await r
    .table(THROTTLE_TABLE)
    .get(next.id)
    .replace((row: R.Expression<unknown>) => {
      const rev = untyped.branch(row.hasFields('rev'), row('rev'), 0) as R.Expression<number>
      return untyped.branch(rev.eq(expectedRev), next, untyped.error('rtkit:throttle-moved'))
    })
    .run(conn)
  return result.replaced === 1
}
