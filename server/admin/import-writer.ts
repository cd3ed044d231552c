import r, { type Connection } from 'rethinkdb'
import type { Collection } from '../collections/collection.ts'
import { migrate, type TableLayout } from '../db/migrate.ts'
import { USERS_TABLE } from '../db/users.ts'
import type { ExportContents } from './export-reader.ts'
import { exportedTables } from './export-format.ts'

/** How many rows one insert carries. */
const BATCH = 500

/** The database holds data and `--force` was not given: nothing was written. */
export class DatabaseNotEmptyError extends Error {
  override name = 'DatabaseNotEmptyError'
  readonly expose = true
}

/** Rows per table of `tables` that hold any, in `db`; a missing table holds none. */
export async function rowCounts(conn: Connection, db: string, tables: readonly string[]): Promise<Map<string, number>> {
  const existing = new Set((await r.dbList().run(conn)).includes(db) ? await r.db(db).tableList().run(conn) : [])
  const counts = new Map<string, number>()
  for (const table of tables) {
    const count = existing.has(table) ? await r.db(db).table(table).count().run(conn) : 0
    if (count > 0) counts.set(table, count)
  }
  return counts
}

/**
 * Writes a checked export into `db`. Without `force`, a database holding
 * any row of a declared collection, a user or a revocation is refused
 * before anything is written; with it, those tables are emptied first, so
 * they end up holding exactly the file's rows. Tables and indexes are made
 * by the migrations first, as the server would. A user without a password
 * hash (an export without secrets) gets an empty one: sign-in is refused
 * until `rtkit-server users set-password`.
 *
 * @returns how many rows were written per table
 */
export async function writeImport(
  conn: Connection,
  db: string,
  collections: readonly Collection[],
  contents: ExportContents,
  options: { force: boolean; layout?: TableLayout },
): Promise<Map<string, number>> {
  const tables = exportedTables(collections)
  const held = await rowCounts(conn, db, tables)
  if (held.size > 0 && !options.force) {
    const listed = [...held].map(([table, count]) => `${table}: ${count}`).join(', ')
    throw new DatabaseNotEmptyError(
      `the database is not empty (${listed}): import into an empty one, or add --force to replace what it holds; nothing was imported`,
    )
  }
  await migrate(conn, db, options.layout)
  if (options.force) for (const table of held.keys()) await r.db(db).table(table).delete().run(conn)
  const written = new Map<string, number>()
  for (const [table, rows] of contents.tables) {
    const stored = table === USERS_TABLE ? rows.map((user) => ({ passwordHash: '', ...user })) : rows
    for (let start = 0; start < stored.length; start += BATCH) {
      const result = await r
        .db(db)
        .table(table)
        .insert(stored.slice(start, start + BATCH), { conflict: 'error' })
        .run(conn)
      if (result.errors > 0) throw new Error(`writing ${table} failed: ${result.first_error}`)
    }
    written.set(table, stored.length)
  }
  return written
}
