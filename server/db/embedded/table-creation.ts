import { Database, type Table } from './reqlite.ts'

type Listener = (db: Database, table: Table) => void
const listeners = new Set<Listener>()
let patched = false

/**
 * Calls `listener` synchronously whenever any reqlite engine in this process
 * creates a table, before the creating query is answered, so that no write
 * to the new table can go unseen. reqlite has no hook for this, so its
 * `Database.prototype.tableCreate` is wrapped once. Returns the unsubscribe.
 */
export function watchTableCreation(listener: Listener): () => void {
  if (!patched) {
    patched = true
    const tableCreate = Database.prototype.tableCreate
    Database.prototype.tableCreate = function (this: Database, name, options) {
      const result = tableCreate.call(this, name, options)
      const table = this.tables[name]
      if (table) for (const notify of listeners) notify(this, table)
      return result
    }
  }
  listeners.add(listener)
  return () => void listeners.delete(listener)
}
