import r from 'rethinkdb'
import { ConfigError, loadConfig } from '../../server/config.ts'
import { connectOptions } from '../../server/db/connection.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.ts'
import { migrate } from '../../server/db/migrate.ts'
import { seed } from '../../server/db/seed.ts'
import { localSecret } from '../../server/lib/local-secret.ts'
import { startClusterNode, type ClusterNode } from './cluster-node.ts'
import { CHECK_INTERVAL_MS, startHaproxy, type Balancer } from './haproxy.ts'
import { freePort } from './ports.ts'
import { startRedisServer, type RedisServer } from './redis-server.ts'

/** Options of {@link startLocalCluster}. */
export interface LocalClusterOptions {
  /** Environment the cluster and its nodes read (README "Configuration"); defaults to `process.env`. */
  env?: NodeJS.ProcessEnv
  /** How many nodes; `RTKIT_NODES` or 2. */
  nodes?: number
  /** Passes the nodes' logs through (`npm run cluster`). */
  forwardLogs?: boolean
}

/** A cluster on one machine: Redis, N nodes, one database, HAProxy in front. */
export interface LocalCluster {
  /** The balanced API (HAProxy). */
  readonly apiUrl: string
  /** The balanced deepstream (HAProxy). */
  readonly realtimeUrl: string
  readonly nodes: readonly ClusterNode[]
  /** `RTKIT_REDIS_URL` every node uses (no password in it when the cluster started Redis). */
  readonly redisUrl: string
  /**
   * `RTKIT_REDIS_PASSWORD` every node uses: the started Redis's password
   * (kept in `<RTKIT_DATA_DIR>/redis-password`), or the one given. Never print it.
   */
  readonly redisPassword: string | undefined
  /** The redis-server this cluster started; `undefined` when `RTKIT_REDIS_URL` was given. */
  readonly redis: RedisServer | undefined
  /** The shared embedded database; `undefined` when `RTKIT_RETHINKDB_URL` was given. */
  readonly database: EmbeddedDatabase | undefined
  /** `RTKIT_RETHINKDB_URL` every node uses (credentials included: never print it). */
  readonly databaseUrl: string
  readonly balancer: Balancer
  /** The environment every node shares (tests sign tokens with its secret). */
  readonly nodeEnv: NodeJS.ProcessEnv
  /**
   * Restarts node `index` as an operator's rolling restart does: SIGTERM (the
   * node drains: `/ready` 503, sockets closed with "going away", in-flight
   * requests finished), then the same node again on the same ports. Resolves
   * with how the old process exited, once the new one answers `GET /ready`
   * with 200 and the balancer has checked it since.
   */
  restartNode(index: number): Promise<number | string>
  /** Stops every process it started, HAProxy and Redis included. */
  close(): Promise<void>
}

/** Resolves once `node` answers `GET /ready` with 200 and the balancer has had two checks (one puts it back) since. */
async function ready(node: ClusterNode): Promise<void> {
  const deadline = Date.now() + 30_000
  const answers = () =>
    fetch(`${node.apiUrl}/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status === 200,
      () => false,
    )
  while (!(await answers())) {
    if (Date.now() > deadline) throw new Error(`node ${node.name} was not ready within 30 s:\n${node.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await new Promise((resolve) => setTimeout(resolve, 2 * CHECK_INTERVAL_MS))
}

/** The file in the data folder that keeps the started Redis's password. */
export const REDIS_PASSWORD_FILE = 'redis-password'

/** `RTKIT_NODES`: 1 to 16 nodes, 2 by default. */
export function nodeCount(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 2
  const count = Number(raw)
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new ConfigError(`RTKIT_NODES must be an integer from 1 to 16, got "${raw}"`)
  }
  return count
}

/**
 * Starts a cluster on this machine on real engines, the pieces `npm run
 * cluster`, the cluster tests and the benchmark share:
 *
 * - Redis: Debian's `redis-server` on a free port, unless `RTKIT_REDIS_URL` is given,
 *   with a password every client must give: random, created once and kept
 *   owner-only in `<RTKIT_DATA_DIR>/redis-password` (per run with `memory`),
 *   handed to the nodes as `RTKIT_REDIS_PASSWORD`;
 * - one database: the embedded one, in this process, unless
 *   `RTKIT_RETHINKDB_URL` is given; migrated (and seeded, as `RTKIT_SEED`
 *   says) here once;
 * - N nodes, each a separate `server/start.ts` process running every role
 *   (gateway, deepstream clustered over Redis, bridge under the lease) on
 *   free ports, named `node-1`…;
 * - HAProxy balancing the gateways and the deepstream nodes, with health
 *   checks, on `RTKIT_API_PORT` and `RTKIT_REALTIME_PORT` (0: free ports).
 *
 * HAProxy (and the demo page) listen on `RTKIT_HOST` (loopback by default);
 * Redis, the database and the nodes on loopback, behind it. On failure it
 * stops whatever it had started.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const env = options.env ?? process.env
  const config = loadConfig(env)
  const count = options.nodes ?? nodeCount(env.RTKIT_NODES)
  // Clients reach the balancer (and the demo) on RTKIT_HOST; what sits
  // behind it (Redis, the database, the nodes) listens on loopback only.
  const host = config.host
  const inside = '127.0.0.1'
  const stops: Array<() => Promise<void>> = []
  const close = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => console.error('stopping a part of the cluster failed:', error))
    stops.length = 0
  }
  try {
    let redis: RedisServer | undefined
    let redisUrl = env.RTKIT_REDIS_URL || undefined
    let redisPassword = env.RTKIT_REDIS_PASSWORD || undefined
    if (!redisUrl) {
      // Anyone who reaches Redis could read every event on the bus and
      // publish forged ones: it answers only clients that give the password.
      redisPassword = localSecret(config.dataDir, REDIS_PASSWORD_FILE, 32)
      redis = await startRedisServer({ host: inside, password: redisPassword })
      stops.push(() => redis!.stop())
      redisUrl = redis.url
    }

    let database: EmbeddedDatabase | undefined
    let databaseUrl = env.RTKIT_RETHINKDB_URL || undefined
    let databaseConfig = config.database
    if (!databaseUrl) {
      database = await startEmbeddedDatabase({ port: config.database.embeddedPort, dataDir: config.dataDir })
      stops.push(() => database!.close())
      databaseUrl = `${database.url}/${config.database.db}`
      databaseConfig = { ...config.database, url: new URL(database.url), hosts: [] }
    }
    // Once, here, before any node starts (the nodes' bridges migrate again, a
    // no-op, and never seed): several nodes seeding at once would race.
    const conn = await r.connect(connectOptions(databaseConfig))
    try {
      await migrate(conn, config.database.db, config.database)
      if (config.seed) await seed(conn)
    } finally {
      await conn.close({ noreplyWait: false })
    }

    const nodeEnv: NodeJS.ProcessEnv = {
      ...env,
      RTKIT_ROLE: 'api,realtime,bridge',
      RTKIT_HOST: inside,
      RTKIT_REDIS_URL: redisUrl,
      RTKIT_REDIS_PASSWORD: redisPassword ?? '',
      RTKIT_RETHINKDB_URL: databaseUrl,
      RTKIT_REALTIME_URL: '',
      RTKIT_API_PORT: '0',
      RTKIT_REALTIME_PORT: '0',
      RTKIT_SEED: 'false',
      // Behind HAProxy: the client's address is the last X-Forwarded-For hop.
      RTKIT_TRUST_PROXY: 'true',
      // Every node must verify the others' tokens: one secret for all.
      ...(config.jwt.algorithm.startsWith('HS') ? { RTKIT_JWT_SECRET: config.jwt.signingKey } : {}),
    }
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, index) =>
        startClusterNode({ name: `node-${index + 1}`, env: nodeEnv, ...(options.forwardLogs ? { forwardLogs: true } : {}) }),
      ),
    )
    const nodes: ClusterNode[] = []
    for (const outcome of started) {
      if (outcome.status === 'fulfilled') {
        nodes.push(outcome.value)
        stops.push(() => outcome.value.stop())
      }
    }
    const failed = started.find((outcome) => outcome.status === 'rejected')
    if (failed) throw failed.reason

    const apiPort = config.apiPort || (await freePort(host))
    const realtimePort = config.realtimePort || (await freePort(host))
    const balancer = await startHaproxy({
      host,
      apiPort,
      realtimePort,
      nodes: nodes.map((node) => ({ name: node.name, apiUrl: node.apiUrl, realtimeUrl: node.realtimeUrl })),
    })
    stops.push(() => balancer.stop())

    const bracketed = host.includes(':') ? `[${host}]` : host
    return {
      apiUrl: `http://${bracketed}:${apiPort}`,
      realtimeUrl: `ws://${bracketed}:${realtimePort}${config.realtimePath}`,
      nodes,
      redisUrl,
      redisPassword,
      redis,
      database,
      databaseUrl,
      balancer,
      nodeEnv,
      restartNode: async (index) => {
        const node = nodes[index]
        if (!node) throw new RangeError(`no node ${index}: the cluster has ${nodes.length}`)
        const exit = await node.kill('SIGTERM')
        await node.start()
        await ready(node)
        return exit
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
