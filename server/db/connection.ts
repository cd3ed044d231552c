import type { Connection, ConnectionOptions } from 'rethinkdb'
import { config, type DatabaseConfig } from '../config.ts'
import { assertInvocationLive } from '../lib/invocation.ts'
import { logLater } from '../lib/log-later.ts'
import { signals } from '../ops/signals.ts'
import { databaseHosts, type DatabaseHost } from './database-url.ts'
import { driver } from './driver.ts'
import { HostFailover } from './host-failover.ts'
import { localSocketFor } from './local-socket.ts'

/** How long one host may take to accept a connection when there are others to try, s. */
const FAILOVER_CONNECT_TIMEOUT_S = 5

/**
 * Connection options for `r.connect`, from the database configuration: to
 * `host`, by default the first (or only) configured host.
 */
export function connectOptions(database: DatabaseConfig, host: DatabaseHost | undefined = databaseHosts(database)[0]): ConnectionOptions {
  const url = database.url
  if (!url || !host) throw new Error('no database URL configured: start the embedded database first')
  // An embedded database of this process is reached by its Unix socket: the driver passes the port to `net.connect`, which takes a socket path there.
  const socket = localSocketFor(host.host, host.port)
  return {
    host: host.host,
    port: socket === undefined ? host.port : (socket as unknown as number),
    // With several hosts, an unreachable one must not hold up the others for the driver's 20 s.
    ...(databaseHosts(database).length > 1 ? { timeout: FAILOVER_CONNECT_TIMEOUT_S } : {}),
    db: database.db,
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(database.tlsCa ? { ssl: { ca: database.tlsCa } } : {}),
  }
}

/**
 * Failover between the configured hosts: each caller (the shared connection,
 * the bridge) keeps its own, so each moves on from the host that failed it.
 */
export function hostFailover(database: DatabaseConfig): HostFailover<Connection> {
  // Through logLater: a Lambda that never fails over never loads the logger.
  const warn = (fields: object, message: string) => void logLater((log) => log.child({ part: 'database' }).warn(fields, message))
  return new HostFailover<Connection>(databaseHosts(database), { warn })
}

let current: Promise<Connection> | undefined
/** `current` once it has opened, so that a query on an open connection does not wait on a promise first. */
let opened: Connection | undefined
let failover: { database: DatabaseConfig; hosts: HostFailover<Connection> } | undefined

/**
 * The process-wide connection, opened on first use and reused across Lambda
 * invocations; reopened when the previous one has closed. An invocation the
 * local gateway abandoned at its timeout gets an error instead, so it sends
 * no query after its 504 (`server/lib/invocation.ts`).
 */
export async function connection(): Promise<Connection> {
  assertInvocationLive()
  if (isOpen(opened)) return opened
  const conn = await sharedConnection()
  assertInvocationLive()
  return conn
}

function isOpen(conn: Connection | undefined): conn is Connection {
  return (conn as (Connection & { open: boolean }) | undefined)?.open === true
}

/** Whether this process has opened the shared connection before: the next opening is a reconnect. */
let openedBefore = false

async function sharedConnection(): Promise<Connection> {
  if (current) {
    const open = await current.catch(() => undefined)
    if (isOpen(open)) return open
  }
  const opening = driver().then(async (r) => {
    const database = config().database
    if (failover?.database !== database) failover = { database, hosts: hostFailover(database) }
    const hosts = failover.hosts
    const conn = await hosts.connect((host) => r.connect(connectOptions(database, host)))
    const host = hosts.current
    if (openedBefore && signals.databaseReconnect.hasSubscribers) signals.databaseReconnect.publish({ part: 'api' })
    openedBefore = true
    // A dropped socket surfaces as an 'error' event; without a listener it
    // would crash the process. Forget the connection so the next call
    // reopens it, on the next host when there are several.
    conn.on('error', (error: Error) => {
      void logLater((log) => log.warn({ err: error }, 'database connection failed; reopening on next use'))
      hosts.failed(host)
      if (current === opening) current = opened = undefined
    })
    conn.on('close', () => {
      if (current === opening) {
        current = opened = undefined
        hosts.failed(host)
      }
    })
    if (current === opening) opened = conn
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
  current = opened = undefined
  const open = await closing?.catch(() => undefined)
  await open?.close({ noreplyWait: false }).catch(() => undefined)
}
