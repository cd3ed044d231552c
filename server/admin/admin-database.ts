import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import r, { type Connection } from 'rethinkdb'
import type { Collection } from '../collections/collection.ts'
import { loadOperatorConfig } from '../collections/load-config.ts'
import { useCollections } from '../collections/registry.ts'
import { ConfigError, loadConfig, useConfig, type DatabaseConfig } from '../config.ts'
import { connectOptions } from '../db/connection.ts'
import { EMBEDDED_HOST, EMBEDDED_PORT_FILE, EMBEDDED_USER, embeddedDatabasePassword, startEmbeddedDatabase } from '../db/embedded.ts'
import { FolderInUseError } from '../db/embedded/folder-lock.ts'
import { setLogLevel } from '../lib/log.ts'

/**
 * The database an operator's command (`rtkit-server export`, `import`,
 * `users`) works on, reached through the `rethinkdb` driver in every case,
 * so one code path serves them all:
 *
 * - `RTKIT_RETHINKDB_URL`: that database (a real RethinkDB or a cluster);
 * - otherwise the embedded database's folder `RTKIT_DATA_DIR`: when a
 *   running server holds it (the folder lock), its embedded database's
 *   loopback port from `<dataDir>/db-port` and the password from
 *   `<dataDir>/db-password`, so the server keeps running and its changefeeds
 *   (deepstream's session registry, the bridge) see every write; when none
 *   does, the embedded database is opened here on a free loopback port for
 *   the command's duration, and stopped (final snapshot) after it.
 */
export interface AdminDatabase {
  readonly conn: Connection
  readonly db: string
  /** The collections the config declares. */
  readonly collections: readonly Collection[]
  readonly database: DatabaseConfig
  /** Closes the connection and the embedded database this command opened, if any. */
  close(): Promise<void>
}

export interface OpenOptions {
  /** The config module (`--config`), else `RTKIT_CONFIG` or the default lookup. */
  configFile: string | undefined
  /** Whether a data folder with no database yet may be created (import, users add), or is an error (export, the other users commands). */
  create: boolean
}

/** Opens the database of `env`, and loads the operator's collections; see {@link AdminDatabase}. */
export async function openAdminDatabase(env: NodeJS.ProcessEnv, options: OpenOptions): Promise<AdminDatabase> {
  // The command's own output is on stdout; the database's info lines would only clutter stderr.
  setLogLevel(env.RTKIT_LOG_LEVEL || 'warn')
  const cfg = loadConfig(env)
  const operator = await loadOperatorConfig(options.configFile ?? env.RTKIT_CONFIG)
  useCollections(operator.collections)
  let database = cfg.database
  let stopEmbedded: (() => Promise<void>) | undefined
  if (!database.url) {
    const { dataDir } = cfg
    if (dataDir === 'memory')
      throw new ConfigError('RTKIT_DATA_DIR=memory keeps nothing to work on: set RTKIT_DATA_DIR or RTKIT_RETHINKDB_URL')
    if (!options.create && !existsSync(join(dataDir, 'db'))) {
      throw new ConfigError(`no database in ${dataDir} (RTKIT_DATA_DIR): start the server once, or import into it`)
    }
    let url: string
    try {
      const embedded = await startEmbeddedDatabase({ dataDir, recover: cfg.database.recover })
      stopEmbedded = () => embedded.close()
      url = embedded.url
    } catch (error) {
      if (!(error instanceof FolderInUseError)) throw error
      url = runningServerUrl(dataDir, error)
    }
    database = { ...database, url: new URL(url) }
  }
  useConfig({ ...cfg, database })
  let conn: Connection
  try {
    conn = await r.connect(connectOptions(database))
  } catch (error) {
    await stopEmbedded?.()
    throw error
  }
  return {
    conn,
    db: database.db,
    collections: operator.collections,
    database,
    close: async () => {
      await conn.close().catch(() => undefined)
      await stopEmbedded?.()
    },
  }
}

/** The embedded database of the server holding `dataDir`, from the port file it wrote. */
function runningServerUrl(dataDir: string, inUse: FolderInUseError): string {
  let port: number
  try {
    port = Number(readFileSync(join(dataDir, EMBEDDED_PORT_FILE), 'utf8').trim())
  } catch (error) {
    throw new ConfigError(`${inUse.message}, which does not say its database port (${EMBEDDED_PORT_FILE}); stop it or retry`, {
      cause: error,
    })
  }
  const password = encodeURIComponent(embeddedDatabasePassword(dataDir))
  return `rethinkdb://${EMBEDDED_USER}:${password}@${EMBEDDED_HOST}:${port}`
}
