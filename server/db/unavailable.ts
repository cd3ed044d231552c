import { ServiceUnavailableError } from '../lib/errors.ts'

// What the rethinkdb driver and Node's sockets say when the database cannot
// be reached: the driver reports a closed connection by message only.
const CONNECTION_FAILURE =
  /Connection is closed|Could not connect|must be an open connection|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up/i
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])
// A database that is up but not ready: after a restart (or on a fresh
// cluster) until migrations have created the database, tables and indexes.
// Retrying later helps, so this is an outage too, never a 500.
const NOT_READY = /Database `[^`]*` does not exist|Table `[^`]*` does not exist|Index `[^`]*` was not found/
// The embedded database refused a write it could not make durable (a full disk): nothing was
// applied, and the same write will succeed once there is room (`embedded/disk-store.ts`).
const NOT_DURABLE = /rtkit:not-durable/

/**
 * `error` as a 503 when it says the database is unreachable or not ready yet
 * (retrying later will help); `undefined` for any other error.
 */
export function asDatabaseUnavailable(error: unknown): ServiceUnavailableError | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as NodeJS.ErrnoException).code
  if ((code && CONNECTION_CODES.has(code)) || CONNECTION_FAILURE.test(error.message)) {
    return new ServiceUnavailableError('the database is unavailable; try again shortly', { cause: error })
  }
  if (NOT_DURABLE.test(error.message)) {
    return new ServiceUnavailableError('the database cannot store writes right now; try again shortly', { cause: error })
  }
  if (NOT_READY.test(error.message)) {
    return new ServiceUnavailableError('the database is not ready yet; try again shortly', { cause: error })
  }
  return undefined
}
