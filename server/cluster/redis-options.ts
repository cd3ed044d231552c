import type { RedisOptions } from 'ioredis'

/** Redis's port, when the URL names none. */
const DEFAULT_REDIS_PORT = 6379

/**
 * ioredis options for `RTKIT_REDIS_URL`: `redis://[user:password@]host[:port][/db]`,
 * or `rediss://…` for TLS (ElastiCache with encryption in transit). Options
 * rather than the URL itself, because `@deepstream/clusternode-redis` reads
 * only host, port and password from a URL and would drop TLS.
 *
 * Reconnection is quick (every 100 ms at first, then each second) and
 * endless: a node is no use off the bus, and a resync follows every return.
 *
 * @example
 * new Redis(redisOptions(new URL('rediss://cache.internal:6379')))
 */
export function redisOptions(url: URL): RedisOptions {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined
  return {
    host,
    port: url.port ? Number(url.port) : DEFAULT_REDIS_PORT,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    retryStrategy: (times: number) => Math.min(times * 100, 1_000),
  }
}
