import { startBridge, type Bridge } from './bridge/index.ts'
import { ConfigError, loadConfig, ServerRole, useConfig, type ServerConfig } from './config.ts'
import { loadOperatorConfig } from './collections/load-config.ts'
import { servedCollections, useCollections } from './collections/registry.ts'
import { useFunctions } from './functions/registry.ts'
import { closeConnection, connection } from './db/connection.ts'
import { startEmbeddedDatabaseThread, type EmbeddedThread } from './db/embedded-thread.ts'
import { answers, isMigrated, migrate } from './db/migrate.ts'
import { isEmptyStore, seed, type SeededDemo } from './db/seed.ts'
import { startGateway } from './gateway/local-gateway.ts'
import { log, setLogLevel } from './lib/log.ts'
import { createMetrics, type Metrics } from './ops/metrics.ts'
import { reportBridgeLag } from './ops/bridge-lag-report.ts'
import { startOpsListener } from './ops/ops-listener.ts'
import { Readiness } from './ops/readiness.ts'
import { defaultVerifier } from './lib/tokens.ts'
import { startRealtime, type RealtimeServer } from './realtime/index.ts'

/** The Redis key of the bridge lease; its value names the holder. */
export const BRIDGE_LEASE_KEY = 'rtkit:bridge:lease'

/** A running server process: the parts its `RTKIT_ROLE` asks for. */
export interface ServerNode {
  readonly config: ServerConfig
  /** Base URL of the local API gateway (role `api`). */
  readonly apiUrl: string | undefined
  /** `ws://…` of deepstream (role `realtime`). */
  readonly realtimeUrl: string | undefined
  /** The deepstream server (tests restart it). */
  readonly realtime: RealtimeServer | undefined
  /** The changefeed bridge (role `bridge`). */
  readonly bridge: Bridge | undefined
  /** `rethinkdb://…` of the database in use (embedded or configured), credentials included: never print it; `undefined` for realtime alone. */
  readonly databaseUrl: string | undefined
  /** The embedded database, when one was started (tests stop and restart it). */
  readonly embedded: EmbeddedThread | undefined
  /** `http://…` of `/ready` and `/metrics` for a process without the API gateway; `undefined` with it (they are on `apiUrl`). */
  readonly opsUrl: string | undefined
  /** What this start seeded into an empty store besides the demo accounts (`RTKIT_SEED`); `undefined` when it seeded nothing. */
  readonly seeded: SeededDemo | undefined
  /** Whether the parts can serve (`GET /ready`). */
  readonly readiness: Readiness
  /** This process's Prometheus metrics (`GET /metrics`). */
  readonly metrics: Metrics
  /** `GET /ready` answers 503 from now on; the parts keep running. {@link close} drains first. */
  drain(): void
  /** Drains, then stops every part in reverse order of starting. */
  close(): Promise<void>
}

/** The whole bundled server in one process (every role), as `npm start` and the tests run it. */
export interface Stack extends ServerNode {
  readonly apiUrl: string
  readonly realtimeUrl: string
  readonly realtime: RealtimeServer
  readonly bridge: Bridge
  readonly databaseUrl: string
}

/**
 * The one place that assembles the server: configuration in, running parts
 * out, for whichever roles `RTKIT_ROLE` names (all three by default).
 *
 * - The database: the embedded one when `RTKIT_RETHINKDB_URL` is unset (only
 *   a process running both the API and the bridge may hold it); none for
 *   deepstream alone, which never reaches the database.
 * - Migrations and the demo seed run where the bridge runs, the part that
 *   reaches the database in every deployment; API processes never migrate,
 *   like the Lambdas they stand for.
 * - With `RTKIT_REDIS_URL`, deepstream clusters over Redis and the bridge
 *   publishes only while it holds the lease.
 *
 * @param env environment variables to read instead of `process.env`
 */
export async function startNode(env: NodeJS.ProcessEnv = process.env): Promise<ServerNode> {
  let cfg = loadConfig(env)
  const roles = cfg.roles
  // The operator's collections, checked before anything starts: a bad config stops here with one line.
  const operator = await loadOperatorConfig(env.RTKIT_CONFIG)
  useCollections(operator.collections)
  useFunctions(operator.functions)
  for (const collection of operator.collections) {
    if (collection.refused.length > 0) {
      log.info(
        { collection: collection.name, refused: collection.refused },
        `${collection.name}: ${collection.refused.join(', ')} refused (no rule)`,
      )
    }
  }
  const stops: Array<() => Promise<void>> = []
  /** What stops taking work and lets what is under way finish, each within `RTKIT_DRAIN_MS`, before any part stops. */
  const drains: Array<(withinMs: number) => Promise<void>> = []
  const readiness = new Readiness()
  let realtime: RealtimeServer | undefined
  const metrics = createMetrics(
    async () => (await readiness.report()).ready,
    () => realtime?.subscriptions ?? 0,
  )
  stops.push(async () => metrics.close())
  let handOver: () => Promise<void> = async () => undefined
  const failed = (what: string) => (error: unknown) => log.error({ err: error }, `${what} failed`)
  const close = async () => {
    // Unready at once, before any part stops, so a balancer sends no more work here.
    readiness.drain()
    // The bridge hands its lease over first, so another node publishes while this one drains.
    await handOver().catch(failed('handing the bridge lease over'))
    await Promise.all(drains.map((drain) => drain(cfg.drainMs).catch(failed('draining a part'))))
    for (const stop of stops.reverse()) await stop().catch(failed('stopping a part'))
  }
  try {
    let embedded: EmbeddedThread | undefined
    const usesDatabase = roles.has(ServerRole.api) || roles.has(ServerRole.bridge)
    if (usesDatabase && !cfg.database.url) {
      // Loopback only, whatever RTKIT_HOST says; data in RTKIT_DATA_DIR, restored before it listens.
      // In a worker thread, off this event loop. Its unasked stop loses what it held in memory: the process stops, a supervisor restarts it from the journal.
      embedded = await startEmbeddedDatabaseThread({
        port: cfg.database.embeddedPort,
        dataDir: cfg.dataDir,
        recover: cfg.database.recover,
        logLevel: cfg.logLevel,
        onFailure: (error) => {
          log.fatal({ err: error }, 'the embedded database stopped unexpectedly; the server stops')
          // Bounded like a signalled stop: a part that hangs without its database does not keep the process up.
          setTimeout(() => process.exit(1), 15_000 + cfg.drainMs).unref()
          void close().finally(() => process.exit(1))
        },
      })
      stops.push(() => embedded!.close())
      cfg = { ...cfg, database: { ...cfg.database, url: new URL(embedded.url) } }
    }
    useConfig(cfg)
    setLogLevel(cfg.logLevel)
    if (usesDatabase) {
      stops.push(closeConnection)
      // Reachable and migrated: checked in full until it first holds (the migrating process may be another), then reachable.
      let migrated = false
      const { db } = cfg.database
      readiness.add({
        name: 'database',
        ready: async () => {
          const conn = await connection()
          if (migrated) return answers(conn)
          migrated = await isMigrated(conn, db)
          return migrated
        },
      })
    }
    let seeded: SeededDemo | undefined
    if (roles.has(ServerRole.bridge)) {
      const conn = await connection()
      await migrate(conn, cfg.database.db, cfg.database)
      if (cfg.seed && (await isEmptyStore(conn))) {
        seeded = await seed(conn)
      }
    }

    let apiUrl: string | undefined
    if (roles.has(ServerRole.api)) {
      const gateway = await startGateway({
        host: cfg.host,
        port: cfg.apiPort,
        corsOrigin: cfg.corsOrigin,
        timeoutMs: cfg.handlerTimeoutMs,
        trustProxy: cfg.trustProxy,
        ops: { readiness, metrics, metricsToken: cfg.metricsToken },
      })
      stops.push(gateway.close)
      drains.push(gateway.drain)
      apiUrl = gateway.url
    }

    if (roles.has(ServerRole.realtime)) {
      realtime = await startRealtime({
        host: cfg.host,
        port: cfg.realtimePort,
        path: cfg.realtimePath,
        verifier: defaultVerifier(),
        // Where this process reaches the database anyway, deepstream also checks sessions there.
        ...(usesDatabase ? { database: cfg.database } : {}),
        nodeName: cfg.nodeName,
        redisUrl: cfg.redisUrl,
        maxSubscriptions: cfg.realtimeMaxSubscriptions,
      })
      stops.push(realtime.close)
      drains.push(realtime.drain)
      const started = realtime
      readiness.add({ name: 'realtime', ready: () => started.running })
    }

    let bridge: Bridge | undefined
    if (roles.has(ServerRole.bridge)) {
      // The bridge follows the database on its own connection and logs in to
      // deepstream like any client, so it starts after both.
      // Loaded only for a cluster, so a single node never loads the Redis client.
      const { redisUrl, nodeName, bridgeLeaseMs } = cfg
      const lease = redisUrl
        ? await import('./cluster/bridge-lease.ts').then(({ leaseFor, leaseTimings }) =>
            leaseFor(redisUrl, BRIDGE_LEASE_KEY, nodeName, leaseTimings(bridgeLeaseMs)),
          )
        : undefined
      bridge = await startBridge({
        realtimeUrl: realtime?.url ?? cfg.realtimeUrl!,
        database: cfg.database,
        keys: cfg.jwt,
        collections: servedCollections(),
        ...(lease ? { lease } : {}),
      })
      // Its lag as a log line a minute, for CloudWatch, where nothing scrapes /metrics.
      const lagReport = reportBridgeLag()
      stops.push(async () => lagReport.close())
      // Stopped once: when draining begins, or as a part if starting fails later.
      const running = bridge
      let stopped: Promise<void> | undefined
      handOver = () => (stopped ??= running.close())
      stops.push(handOver)
      // A bridge waiting for the lease is ready too: a standby that follows the feeds and takes over at once.
      readiness.add({ name: 'bridge', ready: () => running.following })
    }

    let opsUrl: string | undefined
    if (!roles.has(ServerRole.api)) {
      const listener = await startOpsListener(cfg.host, cfg.opsPort, { readiness, metrics, metricsToken: cfg.metricsToken })
      stops.push(listener.close)
      opsUrl = listener.url
    }
    readiness.started()

    return {
      config: cfg,
      apiUrl,
      realtimeUrl: realtime?.url,
      realtime,
      bridge,
      databaseUrl: cfg.database.url ? String(cfg.database.url) : undefined,
      embedded,
      opsUrl,
      seeded,
      readiness,
      metrics,
      drain: () => readiness.drain(),
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * The whole server in one process: {@link startNode} with every role.
 * `npm start`, the tests and the benchmarks start the server here.
 *
 * @throws {ConfigError} when `RTKIT_ROLE` names fewer parts.
 */
export async function startStack(env: NodeJS.ProcessEnv = process.env): Promise<Stack> {
  const roles = loadConfig(env).roles
  if (roles.size !== Object.keys(ServerRole).length) {
    throw new ConfigError(
      `this command runs every part; RTKIT_ROLE=${[...roles].join(',')} runs with \`node server/start.ts\` (rtkit-server)`,
    )
  }
  const node = await startNode(env)
  const { apiUrl, realtimeUrl, realtime, bridge, databaseUrl } = node
  if (!apiUrl || !realtimeUrl || !realtime || !bridge || !databaseUrl) {
    await node.close()
    throw new Error('a part of the stack did not start')
  }
  return { ...node, apiUrl, realtimeUrl, realtime, bridge, databaseUrl }
}
