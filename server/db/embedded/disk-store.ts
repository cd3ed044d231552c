import {
  chmodSync,
  closeSync,
  existsSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../../lib/log.ts'
import { Database, util, type Server, type Table } from './reqlite.ts'
import { watchTableCreation } from './table-creation.ts'

/**
 * Keeps the embedded database on disk: a snapshot of every table plus a
 * journal of the changes made since, in one folder.
 *
 * - Every row change is appended to `journal.jsonl` inside the write itself
 *   (the engine's synchronous `change` event, the one its changefeeds are
 *   made of), before the query is answered: once a write is acknowledged it
 *   is in the operating system's hands, so killing the process loses nothing.
 *   The journal is fsynced once a second, which bounds what a power cut can
 *   lose to the last second.
 * - A schema change (database, table, index) writes a fresh snapshot before
 *   it is answered, and so does a journal past {@link COMPACT_BYTES}.
 *   `snapshot.json` is replaced atomically (write, fsync, rename), then the
 *   journal is emptied. Journal records carry whole rows, so replaying a
 *   journal over a snapshot that already holds its changes is harmless: a
 *   crash between the two steps loses nothing.
 * - On start the snapshot is loaded and the journal replayed, stopping at a
 *   torn last line, before the engine accepts a connection.
 *
 * This is the development default, not the production path: production runs
 * a real RethinkDB cluster.
 *
 * One file on purpose, past 300 lines: the journal's write path, the
 * snapshot and the restore share one on-disk format and one ordering
 * argument (what a crash at each step leaves behind), which reads best in
 * one place.
 */
export const COMPACT_BYTES = 32 * 1024 * 1024
const FSYNC_INTERVAL_MS = 1_000
const SYSTEM_DB = 'rethinkdb'

interface StoredTable {
  primaryKey: string
  indexes: Record<string, { fn: unknown; multi: boolean; geo: boolean }>
  rows: unknown[]
}
interface Snapshot {
  format: 1
  databases: Record<string, Record<string, StoredTable>>
}
/** One journal line: database, table, primary key, and the row as it now is (`null`: deleted). */
interface JournalRecord {
  d: string
  t: string
  k: unknown
  v: unknown
}
interface Change {
  old_val: Record<string, unknown> | null
  new_val: Record<string, unknown> | null
}

/** Folders open in this process, so a stale lock of our own pid can be told from a live one. */
const openHere = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Claims `dir` for this process: two engines writing one journal would corrupt it. */
function lock(dir: string): string {
  const path = join(dir, 'LOCK')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 })
      return path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(path, 'utf8'))
      const stale = owner === process.pid ? !openHere.has(dir) : !isAlive(owner)
      if (!stale) throw new Error(`the database folder ${dir} is in use by process ${owner}`, { cause: error })
      rmSync(path, { force: true })
    }
  }
  throw new Error(`could not lock the database folder ${dir}`)
}

/** Every user table with its primary key and index definitions (the system database is the engine's own). */
function schemaOf(server: Server): Record<string, Record<string, Omit<StoredTable, 'rows'>>> {
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

function tableOf(server: Server, dbName: string, name: string, primaryKey = 'id'): Table {
  const db = (server.databases[dbName] ??= new Database(dbName))
  if (!db.tables[name]) db.tableCreate(name, { primary_key: primaryKey })
  return db.tables[name]!
}

function applyRow(table: Table, key: unknown, row: unknown): void {
  if (row === null) {
    const existing = table.documents[util.makeInternalPk(key)]
    if (existing) table._delete(existing, {})
  } else {
    table._singleInsert(util.revertDatum(row), { conflict: 'replace' })
  }
}

/** The persistence of one embedded engine; see the module comment. */
export class DiskStore {
  readonly #server: Server
  readonly #dir: string
  readonly #log: Logger
  readonly #lockPath: string
  readonly #watched = new WeakSet<Table>()
  readonly #stopWatching: () => void
  readonly #timer: NodeJS.Timeout
  #journal: number
  #journalBytes = 0
  #unsynced = false
  #schema = ''
  #closed = false

  /** Loads what `dir` holds into `server` (which must not be serving yet) and starts journaling. */
  static open(server: Server, dir: string, log: Logger): DiskStore {
    // Owner-only: the users table holds password hashes.
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    chmodSync(dir, 0o700)
    return new DiskStore(server, dir, log)
  }

  private constructor(server: Server, dir: string, log: Logger) {
    this.#server = server
    this.#dir = dir
    this.#log = log
    this.#lockPath = lock(dir)
    openHere.add(dir)
    try {
      const replayed = this.#restore()
      this.#journal = openSync(join(dir, 'journal.jsonl'), 'a', 0o600)
      for (const db of Object.values(server.databases)) for (const table of Object.values(db.tables)) this.#watch(table)
      this.#stopWatching = watchTableCreation((db, table) => {
        if (server.databases[db.name] === db) this.#watch(table)
      })
      // Start from a fresh snapshot and an empty journal.
      this.#compact()
      if (replayed > 0) log.info({ dir, replayed }, 'database restored from disk')
    } catch (error) {
      openHere.delete(dir)
      throw error
    }
    this.#timer = setInterval(() => this.#syncSoon(), FSYNC_INTERVAL_MS)
    this.#timer.unref()
  }

  /** Called before every answer the engine sends: a schema change or a long journal is snapshotted first. */
  beforeAnswer(): void {
    if (this.#closed) return
    if (this.#journalBytes > COMPACT_BYTES || JSON.stringify(schemaOf(this.#server)) !== this.#schema) this.#compact()
  }

  /** Writes a final snapshot and releases the folder (a clean stop). */
  close(): void {
    if (this.#closed) return
    this.#compact()
    this.#release()
  }

  /** Releases the folder without a final snapshot, as a crash would leave it (tests). */
  abandon(): void {
    if (!this.#closed) this.#release()
  }

  #release(): void {
    this.#closed = true
    clearInterval(this.#timer)
    this.#stopWatching()
    fsyncSync(this.#journal)
    closeSync(this.#journal)
    rmSync(this.#lockPath, { force: true })
    openHere.delete(this.#dir)
  }

  #watch(table: Table): void {
    if (this.#watched.has(table) || table.db === SYSTEM_DB) return
    this.#watched.add(table)
    table.on('change', (change: Change) => this.#record(table, change))
  }

  #record(table: Table, change: Change): void {
    if (this.#closed) return
    const row = change.new_val ?? change.old_val
    if (!row) return
    const record: JournalRecord = {
      d: table.db,
      t: table.name,
      k: row[table.options.primaryKey],
      v: change.new_val ? util.toDatum(change.new_val) : null,
    }
    const line = `${JSON.stringify(record)}\n`
    // Synchronously, inside the write: the answer to the client goes out after this returns.
    this.#journalBytes += writeSync(this.#journal, line)
    this.#unsynced = true
  }

  #syncSoon(): void {
    if (!this.#unsynced || this.#closed) return
    this.#unsynced = false
    fsync(this.#journal, (error) => {
      if (error && !this.#closed) this.#log.error({ err: error }, 'could not fsync the database journal')
    })
  }

  /** Snapshot of everything, atomically replacing the last one; then an empty journal. */
  #compact(): void {
    const schema = schemaOf(this.#server)
    const snapshot: Snapshot = { format: 1, databases: {} }
    for (const [dbName, tables] of Object.entries(schema)) {
      const stored: Record<string, StoredTable> = (snapshot.databases[dbName] = {})
      for (const [name, definition] of Object.entries(tables)) {
        const documents = Object.values(this.#server.databases[dbName]!.tables[name]!.documents)
        stored[name] = { ...definition, rows: documents.map((document) => util.toDatum(document.doc)) }
      }
    }
    const path = join(this.#dir, 'snapshot.json')
    const temporary = `${path}.tmp`
    const fd = openSync(temporary, 'w', 0o600)
    try {
      writeSync(fd, JSON.stringify(snapshot))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, path)
    const folder = openSync(this.#dir, 'r')
    try {
      fsyncSync(folder)
    } finally {
      closeSync(folder)
    }
    ftruncateSync(this.#journal, 0)
    this.#journalBytes = 0
    this.#unsynced = false
    this.#schema = JSON.stringify(schema)
  }

  /** Loads the snapshot, then replays the journal; returns how many journal records were applied. */
  #restore(): number {
    const snapshotPath = join(this.#dir, 'snapshot.json')
    if (existsSync(snapshotPath)) {
      const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Snapshot
      if (snapshot.format !== 1) throw new Error(`${snapshotPath} has an unknown format (${String(snapshot.format)})`)
      for (const [dbName, tables] of Object.entries(snapshot.databases)) {
        this.#server.databases[dbName] ??= new Database(dbName)
        for (const [name, stored] of Object.entries(tables)) {
          const table = tableOf(this.#server, dbName, name, stored.primaryKey)
          for (const [index, definition] of Object.entries(stored.indexes)) {
            table.indexes[index] = { ...definition, function: {}, outdated: false, ready: true }
          }
          for (const row of stored.rows) applyRow(table, undefined, row)
        }
      }
    }
    const journalPath = join(this.#dir, 'journal.jsonl')
    if (!existsSync(journalPath)) return 0
    const lines = readFileSync(journalPath, 'utf8').split('\n')
    let applied = 0
    for (const [number, line] of lines.entries()) {
      if (line === '') continue
      let record: JournalRecord
      try {
        record = JSON.parse(line) as JournalRecord
      } catch {
        // The last line may be torn by a crash mid-write; that write was never acknowledged.
        const torn = lines.slice(number + 1).every((rest) => rest === '')
        if (!torn) this.#log.error({ line: number + 1 }, 'the database journal is damaged; later records are ignored')
        break
      }
      applyRow(tableOf(this.#server, record.d, record.t), record.k, record.v)
      applied++
    }
    return applied
  }
}
