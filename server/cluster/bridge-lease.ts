import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import { log, type Logger } from '../lib/log.ts'
import { redisOptions } from './redis-options.ts'

/** Timings of a {@link holdLease lease}, ms. */
export interface LeaseTimings {
  /** How long Redis keeps the lease without a renewal. */
  ttlMs: number
  /** The holder renews this often. */
  renewEveryMs: number
  /** Those waiting try to take the lease this often. */
  acquireEveryMs: number
  /**
   * The holder stops this long before the lease's expiry as its own clock
   * reckons it, for the clocks' drift and the timer's lateness.
   */
  marginMs: number
}

/**
 * The timings for a lease of `ttlMs`: renewed three times per lease, tried
 * six times per lease by those waiting, given up a tenth of it early.
 */
export function leaseTimings(ttlMs: number): LeaseTimings {
  return { ttlMs, renewEveryMs: Math.round(ttlMs / 3), acquireEveryMs: Math.round(ttlMs / 6), marginMs: Math.round(ttlMs / 10) }
}

/** 3 s without a renewal hands the lease over (`RTKIT_BRIDGE_LEASE_MS`); renewals every second ride out two lost ones. */
export const DEFAULT_LEASE: LeaseTimings = leaseTimings(3_000)

/** Options of {@link holdLease}. */
export interface LeaseOptions {
  /** A connection of the lease's own, from {@link leaseConnection}. */
  redis: Redis.Redis
  /** The Redis key, e.g. `rtkit:bridge:lease`. */
  key: string
  /** This node's name; the key's value starts with it, so operators see who holds it. */
  holder: string
  /** Called when this node takes the lease, before anything else it does as the holder. */
  onAcquired(): void
  /** Called when this node stops holding it (lost, expired on its own clock, or closed). */
  onLost(reason: string): void
  log: Logger
  timings?: Partial<LeaseTimings>
  /** A monotonic clock, ms (tests). */
  now?: () => number
}

/** A lease being held or waited for. */
export interface Lease {
  /** Whether this node holds the lease now, by its own clock: check before every act of the holder. */
  readonly held: boolean
  /** Stops renewing or waiting; a holder hands the lease back so another takes over at once. */
  close(): Promise<void>
}

// Renew only while the key still holds our value: a holder that lost the
// lease must never extend someone else's.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`
const CLOSING = 'closing'
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

/**
 * A connection for {@link holdLease}: every command times out (a paused
 * Redis must not leave a renewal hanging), nothing waits in an offline queue
 * and nothing is resent after a reconnect (a late `SET` could take a lease
 * its sender believes it failed to take).
 */
export function leaseConnection(url: URL, commandTimeoutMs = 500): Redis.Redis {
  const redis = new Redis({
    ...redisOptions(url),
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
  })
  // Connection errors reach the lease as failed commands, which it logs;
  // without a listener ioredis would print each reconnection attempt.
  redis.on('error', () => undefined)
  return redis
}

/**
 * One holder at a time among the nodes sharing a Redis: `SET key value NX PX ttl`
 * takes the lease, a compare-and-renew script keeps it, a compare-and-delete
 * hands it back. The holder also keeps its own reckoning of the expiry (from
 * when it *sent* the last successful renewal, minus a margin): it stops being
 * the holder at that moment even if Redis never answers, so a paused or
 * partitioned Redis cannot leave two holders at once.
 *
 * @example
 * const lease = holdLease({ redis: leaseConnection(url), key: 'rtkit:bridge:lease', holder: 'node-1',
 *   onAcquired: () => publishResync(), onLost: (why) => log.warn(why), log })
 * if (lease.held) publish(change)
 */
export function holdLease(options: LeaseOptions): Lease {
  const timings = { ...DEFAULT_LEASE, ...options.timings }
  const now = options.now ?? (() => performance.now())
  const value = `${options.holder} ${randomUUID()}`
  const { redis, key } = options
  const log = options.log
  let closed = false
  let holding = false
  /** When the lease may expire, by this node's clock, less the margin. */
  let validUntil = 0
  let tick: NodeJS.Timeout | undefined
  let expiry: NodeJS.Timeout | undefined

  const schedule = (ms: number) => {
    clearTimeout(tick)
    if (!closed) tick = setTimeout(() => void step(), ms)
  }

  function extend(sentAt: number): void {
    validUntil = sentAt + timings.ttlMs - timings.marginMs
    clearTimeout(expiry)
    expiry = setTimeout(() => stepDown('the lease may have expired (no renewal confirmed in time)'), validUntil - now())
  }

  function stepDown(reason: string): void {
    clearTimeout(expiry)
    if (!holding) return
    holding = false
    if (closed || reason === CLOSING) log.info({ holder: options.holder }, 'bridge lease handed back')
    else log.warn({ holder: options.holder }, `bridge lease lost: ${reason}`)
    try {
      options.onLost(reason)
    } catch (error) {
      log.warn({ err: error }, 'handling the lost lease failed')
    }
    schedule(timings.acquireEveryMs)
  }

  async function step(): Promise<void> {
    const sentAt = now()
    if (!holding) {
      const taken = await redis.set(key, value, 'PX', timings.ttlMs, 'NX').catch(() => null)
      if (closed) {
        // Taken just as this node was closing: hand it straight back.
        if (taken === 'OK') await redis.eval(RELEASE, 1, key, value).catch(() => undefined)
        return
      }
      if (taken === 'OK') {
        holding = true
        extend(sentAt)
        log.info({ holder: options.holder }, 'bridge lease taken: this node publishes')
        try {
          options.onAcquired()
        } catch (error) {
          log.warn({ err: error }, 'handling the acquired lease failed')
        }
        schedule(timings.renewEveryMs)
      } else schedule(timings.acquireEveryMs)
      return
    }
    let renewed: unknown
    try {
      renewed = await redis.eval(RENEW, 1, key, value, timings.ttlMs)
    } catch (error) {
      // Unanswered: keep holding until our own reckoning says otherwise, and retry soon.
      if (closed || !holding) return
      log.warn({ err: error }, 'bridge lease renewal failed; retrying')
      schedule(Math.min(timings.renewEveryMs, Math.max(50, validUntil - now()) / 2))
      return
    }
    if (closed || !holding) return
    if (renewed === 1) {
      extend(sentAt)
      schedule(timings.renewEveryMs)
    } else stepDown("the key is no longer this node's (expired, or Redis lost it)")
  }

  void step()
  return {
    get held() {
      return holding && now() < validUntil
    },
    async close() {
      if (closed) return
      const wasHolding = holding
      stepDown(CLOSING)
      closed = true
      clearTimeout(tick)
      if (wasHolding) await redis.eval(RELEASE, 1, key, value).catch(() => undefined)
      redis.disconnect()
    },
  }
}

/**
 * The bridge's lease on `RTKIT_REDIS_URL`, as `startBridge` takes it: a
 * connection of its own, held under `holder`'s name.
 *
 * @example
 * startBridge({ …, lease: leaseFor(new URL('redis://127.0.0.1:6379'), 'rtkit:bridge:lease', 'node-1') })
 */
export function leaseFor(
  url: URL,
  key: string,
  holder: string,
  timings?: Partial<LeaseTimings>,
): (handlers: Pick<LeaseOptions, 'onAcquired' | 'onLost'>) => Lease {
  return (handlers) =>
    holdLease({
      redis: leaseConnection(url),
      key,
      holder,
      ...handlers,
      log: log.child({ part: 'bridge', node: holder }),
      ...(timings ? { timings } : {}),
    })
}
