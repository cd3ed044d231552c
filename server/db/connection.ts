import type { Connection, ConnectionOptions } from 'rethinkdb'
import { config, type DatabaseConfig } from '../config.ts'
import { logLater } from '../lib/log-later.ts'
import { driver } from './driver.ts'

/** Connection options for `r.connect`, from the database configuration. */
export function connectOptions(database: DatabaseConfig): ConnectionOptions {
  const url = database.url
  if (!url) throw new Error('no database URL configured: start the embedded database first')
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 28015,
    db: database.db,
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(database.tlsCa ? { ssl: { ca: database.tlsCa } } : {}),
  }
}

let current: Promise<Connection> | undefined

/**
 * The process-wide connection, opened on first use and reused across Lambda
 * invocations; reopened when the previous one has closed.
 */
export async function connection(): Promise<Connection> {
  if (current) {
    const open = await current.catch(() => undefined)
    if (open && (open as Connection & { open: boolean }).open) return open
  }
  const opening = driver().then(async (r) => {
    const conn = await r.connect(connectOptions(config().database))
    // A dropped socket surfaces as an 'error' event; without a listener it
    // would crash the process. Forget the connection so the next call reopens it.
    conn.on('error', (error: Error) => {
      void logLater((log) => log.warn({ err: error }, 'database connection failed; reopening on next use'))
      if (current === opening) current = undefined
    })
    conn.on('close', () => {
      if (current === opening) current = undefined
    })
    return conn
  })
  current = opening
  opening.catch(() => {
    if (current === opening) current = undefined
  })
  return opening
}

/** Closes the shared connection, if any (process shutdown, tests). */
export async function closeConnection(): Promise<void> {
  const closing = current
  current = undefined
  const open = await closing?.catch(() => undefined)
  await open?.close({ noreplyWait: false }).catch(() => undefined)
}
