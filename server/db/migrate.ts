import r from 'rethinkdb'
import type { Connection } from 'rethinkdb'
import { collections } from '../../contracts/collections.ts'
import { TOMBSTONES_TABLE } from './documents.ts'
import { USERS_TABLE } from './users.ts'

/** Tables and the secondary indexes each needs. */
export function schema(): Map<string, string[]> {
  const tables = new Map<string, string[]>([
    [USERS_TABLE, ['userId']],
    [TOMBSTONES_TABLE, []],
  ])
  for (const declaration of Object.values(collections)) {
    tables.set(declaration.name, [declaration.partitionKey, ...declaration.indexes])
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
 * Idempotent: safe on every start, against a database already in use, and
 * from several processes at once. Tables that exist keep their layout
 * (changing it is `reconfigure`, an operator's decision on a live cluster).
 */
export async function migrate(conn: Connection, db: string, layout?: TableLayout): Promise<void> {
  const databases = await r.dbList().run(conn)
  if (!databases.includes(db)) await unlessExists(r.dbCreate(db).run(conn))
  const existingTables = await r.db(db).tableList().run(conn)
  for (const [table, indexes] of schema()) {
    if (!existingTables.includes(table)) await unlessExists(createTable(db, table, layout).run(conn))
    const existingIndexes = await r.db(db).table(table).indexList().run(conn)
    for (const index of indexes) {
      if (!existingIndexes.includes(index)) await unlessExists(r.db(db).table(table).indexCreate(index).run(conn))
    }
    await r.db(db).table(table).indexWait().run(conn)
  }
}
