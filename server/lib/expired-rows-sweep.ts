import { deleteExpiredRows } from '../db/expired-rows.ts'
import { logLater } from './log-later.ts'

/**
 * Housekeeping of `table`: the returned function deletes its expired rows
 * ({@link deleteExpiredRows}) at most once per `everyMs` in this process,
 * and logs a failure as a warning naming `what` instead of failing the
 * request that happened to run it.
 */
export function expiredRowsSweep(table: string, everyMs: number, what: string): (now: number) => Promise<void> {
  let lastSweep = 0
  return async (now) => {
    if (now - lastSweep < everyMs) return
    lastSweep = now
    try {
      await deleteExpiredRows(table, now)
    } catch (error) {
      logLater((logger) => logger.warn({ err: error }, `${what}: could not delete expired rows`))
    }
  }
}
