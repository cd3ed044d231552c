import {
  chmodSync,
  closeSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../../lib/log.ts'
import { makeDir } from '../../lib/make-dir.ts'
import { secondsSince, signals } from '../../ops/signals.ts'
import { encodeRecord } from './journal-lines.ts'
import { JOURNAL_FILE, readDataFolder, SNAPSHOT_FILE, type RecoverPolicy, type Snapshot, type StoredTable } from './recovery.ts'
import { lock, openHere } from './folder-lock.ts'
import { Database, ReqlRuntimeError, util, type Server, type Table } from './reqlite.ts'
import { applyRow, schemaOf, SYSTEM_DB, tableOf, undoSilently, type Change } from './rows.ts'
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
 * - **A write the journal cannot take is not applied.** The journal listens
 *   first; when its append fails (a full disk, an I/O error) the row is put
 *   back as it was, without telling anyone (no changefeed, no index sees it),
 *   a partly written line is cut off, and the query fails with
 *   {@link NOT_DURABLE}, which the server answers with 503. Once space returns
 *   the next write goes through. A torn line is therefore only ever the last
 *   one, left by a crash during a write that was never acknowledged.
 * - A schema change (database, table, index) writes a fresh snapshot before
 *   it is answered, and so does a journal past {@link COMPACT_BYTES}.
 *   `snapshot.json` is replaced atomically (write, fsync, rename), then the
 *   journal is emptied. Journal records carry whole rows, so replaying a
 *   journal over a snapshot that already holds its changes is harmless: a
 *   crash between the two steps loses nothing. A snapshot that cannot be
 *   written leaves the journal as it is.
 * - On start the snapshot is loaded and the journal replayed before the
 *   engine accepts a connection; what cannot be read stops start-up unless
 *   the operator says otherwise (`recovery.ts`).
 *
 * This is the development default, not the production path: production runs
 * a real RethinkDB cluster. Why a hardened journal rather than an embedded
 * engine (LMDB, LevelDB): docs/architecture.md, "Data".
 */
export const COMPACT_BYTES = 32 * 1024 * 1024
const FSYNC_INTERVAL_MS = 1_000

/** After a snapshot could not be written, how long before the next try (not on every answer of a full disk). */
const COMPACT_RETRY_MS = 5_000

/** The marker of a write refused because the journal could not take it; the server answers 503. */
export const NOT_DURABLE = 'rtkit:not-durable'

/**
 * The file operations the journal's write path uses, replaceable in tests
 * (a full disk on demand, counting fsyncs); the defaults are node:fs.
 */
export interface JournalFiles {
  /** Writes `buffer[offset…]` at the end of the file; returns how many bytes were written. */
  write(fd: number, buffer: Buffer, offset: number): number
  truncate(fd: number, length: number): void
  fsync(fd: number, done: (error: NodeJS.ErrnoException | null) => void): void
}

const nodeFiles: JournalFiles = {
  write: (fd, buffer, offset) => writeSync(fd, buffer, offset),
  truncate: (fd, length) => ftruncateSync(fd, length),
  fsync: (fd, done) => fsync(fd, done),
}

export interface DiskStoreOptions {
  /** What to do when a file cannot be read at start (`RTKIT_RECOVER`); default `stop`. */
  recover?: RecoverPolicy
  files?: JournalFiles
}

/** The persistence of one embedded engine; see the module comment. */
export class DiskStore {
  readonly #server: Server
  readonly #dir: string
  readonly #log: Logger
  readonly #files: JournalFiles
  readonly #lockPath: string
  readonly #watched = new WeakSet<Table>()
  readonly #stopWatching: () => void
  readonly #timer: NodeJS.Timeout
  #journal: number
  /** Length of the journal's intact part: everything written and acknowledged. */
  #journalBytes = 0
  /** A failed append left bytes past {@link #journalBytes} that could not be cut off yet. */
  #torn = false
  #unsynced = false
  #schema = ''
  #compactAfter = 0
  #closed = false

  /** Loads what `dir` holds into `server` (which must not be serving yet) and starts journaling. */
  static open(server: Server, dir: string, log: Logger, options: DiskStoreOptions = {}): DiskStore {
    // Owner-only: the users table holds password hashes.
    makeDir(dir, 0o700)
    chmodSync(dir, 0o700)
    return new DiskStore(server, dir, log, options)
  }

  private constructor(server: Server, dir: string, log: Logger, options: DiskStoreOptions) {
    this.#server = server
    this.#dir = dir
    this.#log = log
    this.#files = options.files ?? nodeFiles
    this.#lockPath = lock(dir)
    openHere.add(dir)
    try {
      const replayed = this.#restore(options.recover ?? 'stop')
      this.#journal = openSync(join(dir, JOURNAL_FILE), 'a', 0o600)
      this.#journalBytes = readFileSync(join(dir, JOURNAL_FILE)).length
      for (const db of Object.values(server.databases)) for (const table of Object.values(db.tables)) this.#watch(table)
      this.#stopWatching = watchTableCreation((db, table) => {
        if (server.databases[db.name] === db) this.#watch(table)
      })
      // Start from a fresh snapshot and an empty journal (a torn last line goes with it).
      if (!this.#tryCompact()) this.#cutTornTail()
      if (replayed > 0) log.info({ dir, replayed }, 'database restored from disk')
    } catch (error) {
      rmSync(this.#lockPath, { force: true })
      openHere.delete(dir)
      throw error
    }
    this.#timer = setInterval(() => this.#syncSoon(), FSYNC_INTERVAL_MS)
    this.#timer.unref()
  }

  /** Called before every answer the engine sends: a schema change or a long journal is snapshotted first. */
  beforeAnswer(): void {
    if (this.#closed || Date.now() < this.#compactAfter) return
    if (this.#journalBytes > COMPACT_BYTES || JSON.stringify(schemaOf(this.#server)) !== this.#schema) this.#tryCompact()
  }

  /** Writes a final snapshot and releases the folder (a clean stop). */
  close(): void {
    if (this.#closed) return
    this.#tryCompact()
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
    try {
      fsyncSync(this.#journal)
    } catch (error) {
      this.#log.error({ err: error }, 'could not fsync the database journal at stop')
    }
    closeSync(this.#journal)
    rmSync(this.#lockPath, { force: true })
    openHere.delete(this.#dir)
  }

  #watch(table: Table): void {
    if (this.#watched.has(table) || table.db === SYSTEM_DB) return
    this.#watched.add(table)
    // First of all listeners: a change the journal refuses must reach no changefeed and no index.
    table.prependListener('change', (change: Change) => this.#record(table, change))
  }

  #record(table: Table, change: Change): void {
    if (this.#closed) return
    const row = change.new_val ?? change.old_val
    if (!row) return
    const key = row[table.options.primaryKey]
    const line = encodeRecord({ d: table.db, t: table.name, k: key, v: change.new_val ? util.toDatum(change.new_val) : null })
    const start = process.hrtime.bigint()
    try {
      // Synchronously, inside the write: the answer to the client goes out after this returns.
      this.#append(Buffer.from(line))
      if (signals.journalAppend.hasSubscribers) signals.journalAppend.publish({ seconds: secondsSince(start) })
    } catch (error) {
      undoSilently(table, key, change)
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      this.#log.error({ err: error, table: `${table.db}.${table.name}` }, 'a write could not be journaled; it was not applied')
      throw new ReqlRuntimeError(`${NOT_DURABLE}: the write could not be made durable (${reason}); it was not applied`)
    }
  }

  #append(bytes: Buffer): void {
    if (this.#torn) this.#cutTornTail()
    if (this.#torn) throw new Error('the journal has a partly written line that cannot be cut off')
    let written = 0
    try {
      while (written < bytes.length) {
        const count = this.#files.write(this.#journal, bytes, written)
        if (count <= 0) throw Object.assign(new Error('the journal took no bytes'), { code: 'ENOSPC' })
        written += count
      }
    } catch (error) {
      if (written > 0) {
        this.#torn = true
        this.#cutTornTail()
      }
      throw error
    }
    this.#journalBytes += bytes.length
    this.#unsynced = true
  }

  /** Cuts the journal back to its intact part; leaves {@link #torn} set when that fails, to try again before the next append. */
  #cutTornTail(): void {
    try {
      this.#files.truncate(this.#journal, this.#journalBytes)
      this.#torn = false
    } catch (error) {
      this.#torn = true
      this.#log.error({ err: error }, 'could not cut a partly written line off the database journal')
    }
  }

  #syncSoon(): void {
    if (!this.#unsynced || this.#closed) return
    this.#unsynced = false
    const start = process.hrtime.bigint()
    this.#files.fsync(this.#journal, (error) => {
      if (!error && signals.journalSync.hasSubscribers) signals.journalSync.publish({ seconds: secondsSince(start) })
      if (!error || this.#closed) return
      this.#unsynced = true // tried again in a second
      this.#log.error({ err: error }, 'could not fsync the database journal')
    })
  }

  /** {@link #compact}, or on failure (a full disk) the journal kept as it is and a later try; returns whether it worked. */
  #tryCompact(): boolean {
    try {
      this.#compact()
      this.#compactAfter = 0
      return true
    } catch (error) {
      this.#compactAfter = Date.now() + COMPACT_RETRY_MS
      rmSync(join(this.#dir, `${SNAPSHOT_FILE}.tmp`), { force: true })
      this.#log.error({ err: error }, 'could not write a database snapshot; the journal keeps every write')
      return false
    }
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
    const path = join(this.#dir, SNAPSHOT_FILE)
    const temporary = `${path}.tmp`
    const fd = openSync(temporary, 'w', 0o600)
    try {
      writeFileSync(fd, JSON.stringify(snapshot))
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
    this.#files.truncate(this.#journal, 0)
    this.#journalBytes = 0
    this.#torn = false
    this.#unsynced = false
    this.#schema = JSON.stringify(schema)
  }

  /** Loads the snapshot, then replays the journal; returns how many journal records were applied. */
  #restore(policy: RecoverPolicy): number {
    const { snapshot, records } = readDataFolder(this.#dir, policy, this.#log)
    for (const [dbName, tables] of Object.entries(snapshot?.databases ?? {})) {
      this.#server.databases[dbName] ??= new Database(dbName)
      for (const [name, stored] of Object.entries(tables)) {
        const table = tableOf(this.#server, dbName, name, stored.primaryKey)
        for (const [index, definition] of Object.entries(stored.indexes)) {
          table.indexes[index] = { ...definition, function: {}, outdated: false, ready: true }
        }
        for (const row of stored.rows) applyRow(table, undefined, row)
      }
    }
    for (const record of records) applyRow(tableOf(this.#server, record.d, record.t), record.k, record.v)
    return records.length
  }
}
