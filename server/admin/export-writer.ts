import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import r, { type Connection } from 'rethinkdb'
import type { Collection } from '../collections/collection.ts'
import { USERS_TABLE } from '../db/users.ts'
import { makeDir } from '../lib/make-dir.ts'
import {
  canonicalJson,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportedTables,
  sortedStrings,
  type ExportHeader,
  type ExportLine,
} from './export-format.ts'

export interface ExportOptions {
  /** Keep the users' password hashes; without them imported users must be given a password. */
  includeSecrets: boolean
}

/** A row's id as it sorts: ids are strings in every rtkit table. */
const idOf = (row: Record<string, unknown>) => String(row.id)

/**
 * Reads every exported table of `db`, sorted by id. Each table is read in
 * one query (consistent per table; RethinkDB has no snapshot across tables,
 * and the embedded database answers one query before the next write); a
 * table that does not exist yet (a database never migrated) is empty.
 */
export async function readExport(
  conn: Connection,
  db: string,
  collections: readonly Collection[],
  options: ExportOptions,
): Promise<{ header: ExportHeader; tables: Map<string, Record<string, unknown>[]> }> {
  const existing = new Set(await r.db(db).tableList().run(conn))
  const names = exportedTables(collections)
  const tables = new Map<string, Record<string, unknown>[]>()
  for (const table of names) {
    let rows: Record<string, unknown>[] = []
    if (existing.has(table)) {
      const cursor = await r.db(db).table(table).run(conn)
      rows = (await cursor.toArray()) as Record<string, unknown>[]
    }
    if (table === USERS_TABLE && !options.includeSecrets) rows = rows.map(({ passwordHash: _secret, ...user }) => user)
    const byId = new Map(rows.map((row) => [idOf(row), row]))
    tables.set(
      table,
      sortedStrings(byId.keys()).map((id) => byId.get(id)!),
    )
  }
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    collections: sortedStrings(collections.map((collection) => collection.name)),
    tables: names,
    counts: Object.fromEntries(names.map((table) => [table, tables.get(table)!.length])),
    secrets: options.includeSecrets,
  }
  return { header, tables }
}

/**
 * Writes an export of `db` to `path`: into a temporary file beside it
 * (owner-only), flushed to disk, then renamed over `path`, so a reader never
 * sees half a file and a crash leaves the previous one.
 *
 * @returns the header written
 */
export async function writeExport(
  conn: Connection,
  db: string,
  collections: readonly Collection[],
  path: string,
  options: ExportOptions,
): Promise<ExportHeader> {
  const { header, tables } = await readExport(conn, db, collections, options)
  // The folder first: it names a file in the way, which a look at `path` itself would throw on (ENOTDIR).
  makeDir(dirname(path))
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw cannotWrite(path, 'it is a folder: name a file in it')
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  const file = await open(temporary, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw cannotWrite(path, error.message)
  })
  try {
    const lines: string[] = [canonicalJson(header)]
    const flush = async () => {
      await file.write(`${lines.join('\n')}\n`)
      lines.length = 0
    }
    for (const [table, rows] of tables) {
      for (const row of rows) {
        lines.push(canonicalJson({ table, row } satisfies ExportLine))
        if (lines.length >= 1_000) await flush()
      }
    }
    if (lines.length > 0) await flush()
    await file.sync()
    await file.close()
    await rename(temporary, path)
  } catch (error) {
    await file.close().catch(() => undefined)
    await rm(temporary, { force: true })
    throw cannotWrite(path, (error as Error).message)
  }
  return header
}

/** Written for the operator: `expose` prints it as one line, without a stack (`runMain`); the backups log it. */
function cannotWrite(path: string, why: string): Error {
  return Object.assign(new Error(`cannot write the export to ${path}: ${why}`), { expose: true })
}
