import r from 'rethinkdb'
import type { Connection } from 'rethinkdb'
import { servedCollections } from '../collections/registry.ts'
import { log } from '../lib/log.ts'
import { pageIndexOf } from './documents.ts'
import { FUNCTION_CALLS_TABLE } from './function-calls.ts'
import { THROTTLE_TABLE } from './throttle-rows.ts'
import { PROFILES_TABLE } from './profiles.ts'
import { REVOCATIONS_EXPIRY_INDEX, REVOCATIONS_TABLE } from './revocations.ts'
import { USERS_TABLE } from './users.ts'

/** A secondary index: on one field (its name), or on a list of fields (a compound index). */
export type IndexSpec = string | { name: string; fields: readonly string[] }

const indexName = (index: IndexSpec) => (typeof index === 'string' ? index : index.name)

/** Tables and the secondary indexes each needs. */
export function schema(): Map<string, IndexSpec[]> {
  const tables = new Map<string, IndexSpec[]>([
    [USERS_TABLE, ['userId']],
    [REVOCATIONS_TABLE, [REVOCATIONS_EXPIRY_INDEX]],
    [PROFILES_TABLE, []],
    [THROTTLE_TABLE, ['expiresAt']],
    [FUNCTION_CALLS_TABLE, ['expiresAt']],
  ])
  for (const declaration of servedCollections()) {
    tables.set(declaration.name, [pageIndexOf(declaration), ...declaration.indexes])
  }
  return tables
}

/** How new tables are spread over a RethinkDB cluster (`RTKIT_RETHINKDB_SHARDS`, `RTKIT_RETHINKDB_REPLICAS`). */
export interface TableLayout {
  shards: number
  replicas: number
}

/** The ReQL that creates `table`, laid out as asked (reqlite accepts and ignores the layout). */
export function createTable(db: string, table: string, layout: TableLayout = { shards: 1, replicas: 1 }) {
  // RethinkDB 2.x takes both options; @types/rethinkdb predates them.
  const options = { shards: layout.shards, replicas: layout.replicas } as r.TableOptions
  return r.db(db).tableCreate(table, options)
}

/** Runs a schema change; another process migrating at the same moment (a local cluster) may have made it first. */
async function unlessExists(change: Promise<unknown>): Promise<void> {
  try {
    await change
  } catch (error) {
    if (!/already exists/.test((error as Error).message)) throw error
  }
}

/**
 * Creates the database, tables and secondary indexes that are missing.
 * Idempotent: safe on every start, against a database already in use (where
 * it adds what a newer version declares, e.g. the paging index), and from
 * several processes at once. Tables that exist keep their layout (changing
 * it is `reconfigure`, an operator's decision on a live cluster).
 */
export async function migrate(conn: Connection, db: string, layout?: TableLayout): Promise<void> {
  const databases = await r.dbList().run(conn)
  if (!databases.includes(db)) await unlessExists(r.dbCreate(db).run(conn))
  const existingTables = await r.db(db).tableList().run(conn)
  const tables = schema()
  for (const table of existingTables) {
    // A collection taken out of the config keeps its data: nothing is ever dropped.
    if (!tables.has(table)) log.info({ table }, `table ${table} is kept: no collection declares it`)
  }
  for (const [table, indexes] of tables) {
    if (!existingTables.includes(table)) await unlessExists(createTable(db, table, layout).run(conn))
    const existingIndexes = await r.db(db).table(table).indexList().run(conn)
    for (const index of indexes) {
      if (existingIndexes.includes(indexName(index))) continue
      const create =
        typeof index === 'string'
          ? r.db(db).table(table).indexCreate(index)
          : r
              .db(db)
              .table(table)
              .indexCreate(
                index.name,
                (row: r.Expression<unknown>) => index.fields.map((field) => row(field)) as unknown as r.Expression<unknown>,
              )
      await unlessExists(create.run(conn))
    }
    await r.db(db).table(table).indexWait().run(conn)
  }
}

/**
 * Whether {@link migrate} has done its work on `db`: every table and
 * secondary index it creates exists. `GET /ready` asks this until it first
 * holds; a process that does not migrate (the API alone) is not ready before
 * the one that does has run.
 */
export async function isMigrated(conn: Connection, db: string): Promise<boolean> {
  const databases = await r.dbList().run(conn)
  if (!databases.includes(db)) return false
  const existingTables = await r.db(db).tableList().run(conn)
  for (const [table, indexes] of schema()) {
    if (!existingTables.includes(table)) return false
    const existingIndexes = await r.db(db).table(table).indexList().run(conn)
    if (!indexes.every((index) => existingIndexes.includes(indexName(index)))) return false
  }
  return true
}

/** Whether the database answers a trivial query on `conn`. */
export async function answers(conn: Connection): Promise<boolean> {
  return (await r.expr(1).run(conn)) === 1
}
