import { Database, util, type Server, type Table } from './reqlite.ts'
import type { StoredTable } from './recovery.ts'

/** Rows and tables of a reqlite engine as the disk store reads and restores them. */

export const SYSTEM_DB = 'rethinkdb'

/** A row change as reqlite's `change` event reports it. */
export interface Change {
  old_val: Record<string, unknown> | null
  new_val: Record<string, unknown> | null
}

/** Every user table with its primary key and index definitions (the system database is the engine's own). */
export function schemaOf(server: Server): Record<string, Record<string, Omit<StoredTable, 'rows'>>> {
  const schema: Record<string, Record<string, Omit<StoredTable, 'rows'>>> = {}
  for (const [dbName, db] of Object.entries(server.databases)) {
    if (dbName === SYSTEM_DB) continue
    const tables: Record<string, Omit<StoredTable, 'rows'>> = (schema[dbName] = {})
    for (const [name, table] of Object.entries(db.tables)) {
      const indexes: StoredTable['indexes'] = {}
      for (const [index, definition] of Object.entries(table.indexes)) {
        if (index !== table.options.primaryKey) indexes[index] = { fn: definition.fn, multi: definition.multi, geo: definition.geo }
      }
      tables[name] = { primaryKey: table.options.primaryKey, indexes }
    }
  }
  return schema
}

export function tableOf(server: Server, dbName: string, name: string, primaryKey = 'id'): Table {
  const db = (server.databases[dbName] ??= new Database(dbName))
  if (!db.tables[name]) db.tableCreate(name, { primary_key: primaryKey })
  return db.tables[name]!
}

export function applyRow(table: Table, key: unknown, row: unknown): void {
  if (row === null) {
    const existing = table.documents[util.makeInternalPk(key)]
    if (existing) table._delete(existing, {})
  } else {
    table._singleInsert(util.revertDatum(row), { conflict: 'replace' })
  }
}

/**
 * Undoes `change` in the table without any listener hearing of it. Only a
 * change to the row the table holds is undone: a write through a stale copy
 * of the row (one another write replaced meanwhile) never reached the table.
 */
export function undoSilently(table: Table, key: unknown, change: Change): void {
  const current = table.documents[util.makeInternalPk(key)]
  const reachedTable = change.new_val ? current?.doc === change.new_val : current === undefined
  if (!reachedTable) return
  table.emit = () => false
  try {
    applyRow(table, key, change.old_val ? util.toDatum(change.old_val) : null)
  } finally {
    delete (table as Partial<Table>).emit
  }
}
