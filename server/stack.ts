import { collections } from '../contracts/collections.ts'
import { startBridge } from './bridge/index.ts'
import { loadConfig, useConfig, type ServerConfig } from './config.ts'
import { closeConnection, connection } from './db/connection.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.ts'
import { migrate } from './db/migrate.ts'
import { isEmptyStore, seed } from './db/seed.ts'
import { startGateway } from './gateway/local-gateway.ts'
import { log, setLogLevel } from './lib/log.ts'
import { defaultVerifier } from './lib/tokens.ts'
import { startRealtime, type RealtimeServer } from './realtime/index.ts'

/** The running bundled server. */
export interface Stack {
  readonly config: ServerConfig
  /** Base URL of the local API gateway. */
  readonly apiUrl: string
  /** `ws://…` of deepstream, for `<rt-provider realtime-url=…>`. */
  readonly realtimeUrl: string
  /** The deepstream server (tests restart it). */
  readonly realtime: RealtimeServer
  /** `rethinkdb://…` of the database in use (embedded or configured), credentials included: never print it. */
  readonly databaseUrl: string
  /** The embedded database, when one was started (tests stop and restart it). */
  readonly embedded: EmbeddedDatabase | undefined
  /** Stops every part in reverse order of starting. */
  close(): Promise<void>
}

/**
 * The one place that assembles the server: configuration in, running parts
 * out. `npm start`, the tests and the benchmarks all start the server here.
 *
 * @param env environment variables to read instead of `process.env`
 */
export async function startStack(env: NodeJS.ProcessEnv = process.env): Promise<Stack> {
  let cfg = loadConfig(env)
  const stops: Array<() => Promise<void>> = []
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, 'stopping a part failed'))
  }
  try {
    let embedded: EmbeddedDatabase | undefined
    if (!cfg.database.url) {
      // Loopback only, whatever RTKIT_HOST says; data in RTKIT_DATA_DIR, restored before it listens.
      embedded = await startEmbeddedDatabase({ port: cfg.database.embeddedPort, dataDir: cfg.dataDir })
      stops.push(() => embedded!.close())
      cfg = { ...cfg, database: { ...cfg.database, url: new URL(embedded.url) } }
    }
    useConfig(cfg)
    setLogLevel(cfg.logLevel)
    stops.push(closeConnection)
    const conn = await connection()
    await migrate(conn, cfg.database.db)
    if (cfg.seed && (await isEmptyStore(conn))) await seed(conn)

    const gateway = await startGateway({
      host: cfg.host,
      port: cfg.apiPort,
      corsOrigin: cfg.corsOrigin,
      timeoutMs: cfg.handlerTimeoutMs,
      trustProxy: cfg.trustProxy,
    })
    stops.push(gateway.close)

    const realtime = await startRealtime({
      host: cfg.host,
      port: cfg.realtimePort,
      path: cfg.realtimePath,
      verifier: defaultVerifier(),
      database: cfg.database,
    })
    stops.push(realtime.close)
    // The bridge follows the database on its own connection and logs in to
    // deepstream like any client, so it starts after both.
    const bridge = await startBridge({
      realtimeUrl: realtime.url,
      database: cfg.database,
      keys: cfg.jwt,
      collections: Object.values(collections),
    })
    stops.push(bridge.close)

    return {
      config: cfg,
      apiUrl: gateway.url,
      realtimeUrl: realtime.url,
      realtime,
      databaseUrl: String(cfg.database.url),
      embedded,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
