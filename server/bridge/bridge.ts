import r from 'rethinkdb'
import type { Collection } from '../collections/collection.ts'
import { Role } from '../../contracts/principal.ts'
import { RESYNC_TOPIC, type ChangeEvent, type ResyncEvent } from '../../contracts/realtime.ts'
import type { DatabaseConfig, JwtConfig } from '../config.ts'
import type { Lease } from '../cluster/bridge-lease.ts'
import { connectOptions, hostFailover } from '../db/connection.ts'
import type { DatabaseHost } from '../db/database-url.ts'
import { issueToken } from '../lib/tokens.ts'
import type { BackoffPolicy } from '../../contracts/backoff.ts'
import { log as serverLog, type Logger } from '../lib/log.ts'
import { signals, type BridgePublishSignal } from '../ops/signals.ts'
import { publicationsFor } from './change-events.ts'
import { followChanges } from './changefeed-follower.ts'
import { connectPublisher } from './realtime-publisher.ts'

/** Options of {@link startBridge}. */
export interface BridgeOptions {
  /** deepstream WebSocket URL. */
  realtimeUrl: string
  database: DatabaseConfig
  /** Keys to sign the bridge's service token with. */
  keys: JwtConfig
  collections: readonly Collection[]
  log?: Logger
  backoff?: BackoffPolicy
  /** How long start-up may take (deepstream login and first feeds), ms. */
  startTimeoutMs?: number
  /**
   * With several bridges (one per node), only the holder of this lease
   * publishes (see `holdLease`); without one, this bridge always publishes.
   */
  lease?: (handlers: { onAcquired(): void; onLost(reason: string): void }) => Lease
}

/** A running bridge. */
export interface Bridge {
  /** Whether this bridge publishes now (always, without a lease). */
  readonly publishing: boolean
  /** Whether its changefeeds run now (false while the database connection is lost). */
  readonly following: boolean
  close(): Promise<void>
}

/** Thrown when the bridge cannot follow the database in time at start-up. */
export class BridgeStartError extends Error {
  override name = 'BridgeStartError'
}

/** The principal the bridge publishes as; `service:` ids are never user ids. */
const BRIDGE_PROFILE = { id: 'service:bridge', username: 'service:bridge', name: 'rtkit bridge' }

/**
 * What the metrics learn of one published event: its kind, and the lag from
 * the document's `updatedAt` (written by the handler just before its write,
 * on that handler's clock) to now. A removal carries no document; its lag
 * is not measured.
 */
function publishedSignal(event: ChangeEvent): BridgePublishSignal {
  if (event.op !== 'upsert') return { op: event.op }
  const at = Date.parse((event.doc as { updatedAt?: string }).updatedAt ?? '')
  return Number.isNaN(at) ? { op: event.op } : { op: event.op, lagSeconds: (Date.now() - at) / 1000 }
}

function resync(reason: string): ResyncEvent {
  return { reason, at: new Date().toISOString() }
}

/**
 * Turns RethinkDB changefeeds into deepstream events: every insert, update
 * and delete of a declared collection becomes a `ChangeEvent` on
 * `<collection>/<partition>`. It logs in to deepstream with a service token
 * issued in-process, and follows the database on a connection of its own.
 * After either side reconnects it publishes a `ResyncEvent` on
 * `RESYNC_TOPIC`, since changes in the gap were not delivered; live queries
 * refetch on it.
 *
 * @example
 * const bridge = await startBridge({ realtimeUrl, database: cfg.database, keys: cfg.jwt, collections: Object.values(collections) })
 * await bridge.close()
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const log = options.log ?? serverLog.child({ part: 'bridge' })
  // Every bridge follows the feeds, so a new lease holder publishes at once;
  // only the holder's changes go out. The lease is checked on every
  // publication, on the holder's own clock.
  // Set once the feeds run (below); the publisher's and the feeds' handlers read it.
  let lease: Lease | undefined = undefined
  const publishing = () => options.lease === undefined || lease?.held === true
  const publisher = await connectPublisher({
    url: options.realtimeUrl,
    principal: { ...BRIDGE_PROFILE, role: Role.service },
    token: () => issueToken(BRIDGE_PROFILE, Role.service, options.keys).token,
    onReconnected: () => publishing() && announce('realtime reconnected'),
    log,
    ...(options.startTimeoutMs ? { loginTimeoutMs: options.startTimeoutMs } : {}),
  })

  const announce = (reason: string) => {
    publisher.publish(RESYNC_TOPIC, resync(reason))
    signals.bridgePublish.publish({ op: 'resync' } satisfies BridgePublishSignal)
  }

  // Several hosts: a lost connection moves the feeds to the next one (and
  // `onResumed` announces a resync, as after any reconnect).
  const hosts = hostFailover(options.database)
  let followed: DatabaseHost | undefined
  const follower = followChanges({
    connect: async () => {
      if (followed) hosts.failed(followed)
      const conn = await hosts.connect((host) => r.connect(connectOptions(options.database, host)))
      followed = hosts.current
      return conn
    },
    collections: options.collections,
    onChange: (declaration, change) => {
      if (!publishing()) return
      for (const { topic, event } of publicationsFor(declaration, change)) {
        publisher.publish(topic, event)
        if (signals.bridgePublish.hasSubscribers) signals.bridgePublish.publish(publishedSignal(event))
      }
    },
    onResumed: () => {
      signals.databaseReconnect.publish({ part: 'bridge' })
      if (publishing()) announce('database reconnected')
    },
    log,
    ...(options.backoff ? { backoff: options.backoff } : {}),
  })
  const close = async () => {
    // Hand the lease back first, so another bridge takes over at once.
    await lease?.close()
    await follower.close()
    publisher.close()
  }

  const timeoutMs = options.startTimeoutMs ?? 10_000
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      follower.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new BridgeStartError(`the changefeeds did not start within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } catch (error) {
    await close()
    throw error
  } finally {
    clearTimeout(timer)
  }
  // Taken only once this bridge follows the feeds: a new holder announces a
  // resync before its first change, since changes between the previous
  // holder's last publication and now were not published.
  lease = options.lease?.({
    onAcquired: () => announce('bridge lease taken'),
    onLost: () => undefined,
  })
  return {
    get publishing() {
      return publishing()
    },
    get following() {
      return follower.following
    },
    close,
  }
}
