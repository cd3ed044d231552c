import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { META_FIELDS, type Collection } from '../collections/collection.ts'
import { REVOCATIONS_TABLE } from '../db/revocations.ts'
import { USERS_TABLE } from '../db/users.ts'
import { EXPORT_FORMAT, EXPORT_VERSION, exportedTables, type ExportHeader } from './export-format.ts'

/**
 * Reads and checks a whole export file before anything is written: the
 * header (format, version, collections the config declares), then every
 * line (JSON, a table the header names, the row's shape: a collection's
 * documents through the collection's own validation, tombstones, users,
 * revocations), no id twice, and the counts the header promised, which
 * catches a file cut at a line's end. The first problem stops it with an
 * {@link ExportFileError} naming the line.
 */

/** A malformed or foreign export file; the message names the file and line. */
export class ExportFileError extends Error {
  override name = 'ExportFileError'
  /** Printed to the operator as is, without a stack (`runMain`). */
  readonly expose = true
}

/** A checked export: its header and its rows by table, in file order. */
export interface ExportContents {
  header: ExportHeader
  tables: Map<string, Record<string, unknown>[]>
}

type RowCheck = (row: Record<string, unknown>) => Promise<string | undefined>

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isText = (value: unknown) => typeof value === 'string' && value !== ''
const isVersion = (value: unknown) => Number.isInteger(value) && (value as number) >= 1

/** The first key of `row` not in `allowed`, as a problem. */
function strayKey(row: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const stray = Object.keys(row).find((key) => !allowed.includes(key))
  return stray === undefined ? undefined : `unknown field "${stray}"`
}

/** The first of `fields` that is not a non-empty string. */
function missingText(row: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const missing = fields.find((field) => !isText(row[field]))
  return missing === undefined ? undefined : `"${missing}" must be a non-empty string`
}

const TOMBSTONE_FIELDS = ['id', 'version', 'deletedAt', 'deletedBy', 'tombstone']

/** A stored document (its declared fields through the collection's validation) or a tombstone. */
function documentCheck(collection: Collection): RowCheck {
  const allowed = [...META_FIELDS, ...collection.fields, ...collection.derived]
  return async (row) => {
    if (!isVersion(row.version)) return '"version" must be a positive integer'
    if (row.tombstone !== undefined) {
      if (row.tombstone !== true) return '"tombstone" must be true'
      return strayKey(row, TOMBSTONE_FIELDS) ?? missingText(row, ['id', 'deletedAt', 'deletedBy'])
    }
    const problem = strayKey(row, allowed) ?? missingText(row, ['createdAt', 'updatedAt', 'createdBy'])
    if (problem) return problem
    const declared = Object.fromEntries(Object.entries(row).filter(([key]) => key === 'id' || collection.fields.includes(key)))
    try {
      await collection.validateCreate(declared)
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }
}

const USER_FIELDS = ['id', 'userId', 'name', 'passwordHash', 'createdAt', 'disabled', 'sessionsEndedAt']

const userCheck: RowCheck = async (row) => {
  const problem = strayKey(row, USER_FIELDS) ?? missingText(row, ['id', 'userId', 'name', 'createdAt'])
  if (problem) return problem
  if (row.passwordHash !== undefined && typeof row.passwordHash !== 'string') return '"passwordHash" must be a string'
  if (row.disabled !== undefined && typeof row.disabled !== 'boolean') return '"disabled" must be true or false'
  if (row.sessionsEndedAt !== undefined && !Number.isInteger(row.sessionsEndedAt)) return '"sessionsEndedAt" must be an integer'
  return undefined
}

const revocationCheck: RowCheck = async (row) =>
  strayKey(row, ['id', 'userId', 'expiresAt', 'revokedAt']) ??
  missingText(row, ['id', 'userId', 'revokedAt']) ??
  (Number.isInteger(row.expiresAt) ? undefined : '"expiresAt" must be an integer')

/** Checks the header on line 1 against the declared `collections`; returns the checks per table. */
function readHeader(value: unknown, collections: readonly Collection[]): { header: ExportHeader; checks: Map<string, RowCheck> } {
  if (!isObject(value) || value.format !== EXPORT_FORMAT) throw new Error(`not an rtkit export (no "format": "${EXPORT_FORMAT}" header)`)
  if (value.version !== EXPORT_VERSION) {
    throw new Error(`export version ${JSON.stringify(value.version)}; this rtkit reads version ${EXPORT_VERSION}`)
  }
  const { collections: named, counts, secrets } = value
  if (!Array.isArray(named) || !named.every((name) => typeof name === 'string')) throw new Error('"collections" must list names')
  const declared = new Map(collections.map((collection) => [collection.name, collection]))
  const unknown = named.find((name) => !declared.has(name))
  if (unknown !== undefined) {
    throw new Error(`collection "${unknown}" is not declared in the config (it declares ${[...declared.keys()].join(', ') || 'none'})`)
  }
  const tables = exportedTables((named as string[]).map((name) => ({ name })))
  if (!isObject(counts) || !tables.every((table) => Number.isInteger(counts[table]) && (counts[table] as number) >= 0)) {
    throw new Error(`"counts" must give a row count for each of ${tables.join(', ')}`)
  }
  const checks = new Map<string, RowCheck>([
    [USERS_TABLE, userCheck],
    [REVOCATIONS_TABLE, revocationCheck],
  ])
  for (const name of named as string[]) checks.set(name, documentCheck(declared.get(name)!))
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    collections: named as string[],
    tables,
    counts: counts as Record<string, number>,
    secrets: secrets === true,
  }
  return { header, checks }
}

/** Reads and checks the export at `path` against the declared `collections`; see the file's header. */
export async function readExportFile(path: string, collections: readonly Collection[]): Promise<ExportContents> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
  let number = 0
  let read: { header: ExportHeader; checks: Map<string, RowCheck> } | undefined
  const tables = new Map<string, Record<string, unknown>[]>()
  const ids = new Map<string, Set<string>>()
  const fail = (message: string): never => {
    throw new ExportFileError(`${path}: line ${number}: ${message}; nothing was imported`)
  }
  try {
    for await (const line of lines) {
      number++
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        fail(line.trim() === '' ? 'empty line' : 'not a JSON line (is the file cut short?)')
      }
      if (!read) {
        try {
          read = readHeader(value, collections)
        } catch (error) {
          fail((error as Error).message)
        }
        for (const table of read!.header.tables) {
          tables.set(table, [])
          ids.set(table, new Set())
        }
        continue
      }
      if (!isObject(value) || typeof value.table !== 'string' || !isObject(value.row)) fail('expected {"table": …, "row": {…}}')
      const { table, row } = value as { table: string; row: Record<string, unknown> }
      const check = read.checks.get(table)
      if (!check) fail(`table "${table}" is not in the header's collections`)
      if (!isText(row.id)) fail(`${table} row without an "id"`)
      const id = row.id as string
      if (ids.get(table)!.has(id)) fail(`${table} "${id}" appears twice`)
      const problem = await check!(row)
      if (problem) fail(`${table} "${id}": ${problem}`)
      ids.get(table)!.add(id)
      tables.get(table)!.push(row)
    }
  } catch (error) {
    if (error instanceof ExportFileError) throw error
    throw new ExportFileError(`${path}: ${(error as Error).message}; nothing was imported`, { cause: error })
  } finally {
    lines.close()
  }
  if (!read) throw new ExportFileError(`${path}: empty file, not an rtkit export; nothing was imported`)
  for (const table of read.header.tables) {
    const found = tables.get(table)!.length
    if (found !== read.header.counts[table]) {
      throw new ExportFileError(
        `${path}: line ${number}: the file ends with ${found} ${table} rows; its header says ${read.header.counts[table]} (is it cut short?); nothing was imported`,
      )
    }
  }
  return { header: read.header, tables }
}
