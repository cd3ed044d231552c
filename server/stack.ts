import { startBridge, type Bridge } from './bridge/index.ts'
import { ConfigError, loadConfig, ServerRole, useConfig, type ServerConfig } from './config.ts'
import { loadOperatorConfig } from './collections/load-config.ts'
import { servedCollections, useCollections } from './collections/registry.ts'
import { closeConnection, connection } from './db/connection.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.ts'
import { migrate } from './db/migrate.ts'
import { isEmptyStore, seed } from './db/seed.ts'
import { startGateway } from './gateway/local-gateway.ts'
import { log, setLogLevel } from './lib/log.ts'
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
  readonly embedded: EmbeddedDatabase | undefined
  /** Stops every part in reverse order of starting. */
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
  for (const collection of operator.collections) {
    if (collection.refused.length > 0) {
      log.info(
        { collection: collection.name, refused: collection.refused },
        `${collection.name}: ${collection.refused.join(', ')} refused (no rule)`,
      )
    }
  }
  const stops: Array<() => Promise<void>> = []
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, 'stopping a part failed'))
  }
  try {
    let embedded: EmbeddedDatabase | undefined
    const usesDatabase = roles.has(ServerRole.api) || roles.has(ServerRole.bridge)
    if (usesDatabase && !cfg.database.url) {
      // Loopback only, whatever RTKIT_HOST says; data in RTKIT_DATA_DIR, restored before it listens.
      embedded = await startEmbeddedDatabase({ port: cfg.database.embeddedPort, dataDir: cfg.dataDir, recover: cfg.database.recover })
      stops.push(() => embedded!.close())
      cfg = { ...cfg, database: { ...cfg.database, url: new URL(embedded.url) } }
    }
    useConfig(cfg)
    setLogLevel(cfg.logLevel)
    if (usesDatabase) stops.push(closeConnection)
    if (roles.has(ServerRole.bridge)) {
      const conn = await connection()
      await migrate(conn, cfg.database.db, cfg.database)
      if (cfg.seed && (await isEmptyStore(conn))) await seed(conn)
    }

    let apiUrl: string | undefined
    if (roles.has(ServerRole.api)) {
      const gateway = await startGateway({
        host: cfg.host,
        port: cfg.apiPort,
        corsOrigin: cfg.corsOrigin,
        timeoutMs: cfg.handlerTimeoutMs,
        trustProxy: cfg.trustProxy,
      })
      stops.push(gateway.close)
      apiUrl = gateway.url
    }

    let realtime: RealtimeServer | undefined
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
      })
      stops.push(realtime.close)
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
      stops.push(bridge.close)
    }

    return {
      config: cfg,
      apiUrl,
      realtimeUrl: realtime?.url,
      realtime,
      bridge,
      databaseUrl: cfg.database.url ? String(cfg.database.url) : undefined,
      embedded,
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
