import r from 'rethinkdb'
import type { Connection } from 'rethinkdb'
import { collections } from '../../contracts/collections.ts'
import { TOMBSTONES_TABLE } from './documents.ts'
import { THROTTLE_TABLE } from './login-throttle.ts'
import { PROFILES_TABLE } from './profiles.ts'
import { REVOCATIONS_TABLE } from './revocations.ts'
import { USERS_TABLE } from './users.ts'

/** Tables and the secondary indexes each needs. */
export function schema(): Map<string, string[]> {
  const tables = new Map<string, string[]>([
    [USERS_TABLE, ['userId']],
    [TOMBSTONES_TABLE, []],
    [REVOCATIONS_TABLE, []],
    [PROFILES_TABLE, []],
    [THROTTLE_TABLE, []],
  ])
  for (const declaration of Object.values(collections)) {
    tables.set(declaration.name, [declaration.partitionKey, ...declaration.indexes])
  }
  return tables
}

/**
 * Creates the database, tables and secondary indexes that are missing.
 * Idempotent: safe on every start and against a database already in use.
 */
export async function migrate(conn: Connection, db: string): Promise<void> {
  const databases = await r.dbList().run(conn)
  if (!databases.includes(db)) await r.dbCreate(db).run(conn)
  const existingTables = await r.db(db).tableList().run(conn)
  for (const [table, indexes] of schema()) {
    if (!existingTables.includes(table)) await r.db(db).tableCreate(table).run(conn)
    const existingIndexes = await r.db(db).table(table).indexList().run(conn)
    for (const index of indexes) {
      if (!existingIndexes.includes(index)) await r.db(db).table(table).indexCreate(index).run(conn)
    }
    await r.db(db).table(table).indexWait().run(conn)
  }
}
