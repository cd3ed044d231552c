import r from 'rethinkdb'
import type { Connection } from 'rethinkdb'
import { collections } from '../../contracts/collections.ts'
import { pageIndexOf } from './documents.ts'
import { THROTTLE_TABLE } from './login-throttle.ts'
import { PROFILES_TABLE } from './profiles.ts'
import { REVOCATIONS_TABLE } from './revocations.ts'
import { USERS_TABLE } from './users.ts'

/** A secondary index: on one field (its name), or on a list of fields (a compound index). */
export type IndexSpec = string | { name: string; fields: readonly string[] }

const indexName = (index: IndexSpec) => (typeof index === 'string' ? index : index.name)

/** Tables and the secondary indexes each needs. */
export function schema(): Map<string, IndexSpec[]> {
  const tables = new Map<string, IndexSpec[]>([
    [USERS_TABLE, ['userId']],
    [REVOCATIONS_TABLE, []],
    [PROFILES_TABLE, []],
    [THROTTLE_TABLE, []],
  ])
  for (const declaration of Object.values(collections)) {
    tables.set(declaration.name, [pageIndexOf(declaration), ...declaration.indexes])
  }
  return tables
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
 * Idempotent: safe on every start and against a database already in use,
 * where it adds what a newer version declares (e.g. the paging index).
 */
export async function migrate(conn: Connection, db: string): Promise<void> {
  const databases = await r.dbList().run(conn)
  if (!databases.includes(db)) await unlessExists(r.dbCreate(db).run(conn))
  const existingTables = await r.db(db).tableList().run(conn)
  for (const [table, indexes] of schema()) {
    if (!existingTables.includes(table)) await unlessExists(r.db(db).tableCreate(table).run(conn))
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
