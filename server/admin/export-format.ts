import type { Collection } from '../collections/collection.ts'
import { REVOCATIONS_TABLE } from '../db/revocations.ts'
import { USERS_TABLE } from '../db/users.ts'

/**
 * The export file (`rtkit-server export`, `import`, scheduled backups):
 * NDJSON, one JSON value per line.
 *
 *   {"collections":["messages","tasks"],"counts":{"messages":3,…},"format":"rtkit-export","secrets":false,"tables":[…],"version":1}
 *   {"row":{"id":"…","version":2,…},"table":"messages"}
 *   …
 *
 * The header comes first; then every row of every table it names, sorted by
 * table, then by id. Every object's keys are sorted and the header holds no
 * time, so the same data always gives the same bytes: an export, an import
 * of it and another export are byte for byte identical.
 */
export const EXPORT_FORMAT = 'rtkit-export'
export const EXPORT_VERSION = 1

/** The export's first line. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT
  version: typeof EXPORT_VERSION
  /** The declared collections it holds, sorted. */
  collections: string[]
  /** Every table it holds: the collections, `revocations` and `users`, sorted. */
  tables: string[]
  /** Rows per table. */
  counts: Record<string, number>
  /** Whether the users' password hashes are in it (`--include-secrets`, scheduled backups). */
  secrets: boolean
}

/** One row line. */
export interface ExportLine {
  table: string
  row: Record<string, unknown>
}

/** The tables an export of `collections` holds, sorted. */
export function exportedTables(collections: readonly Pick<Collection, 'name'>[]): string[] {
  return sortedStrings([...collections.map((collection) => collection.name), USERS_TABLE, REVOCATIONS_TABLE])
}

/** Sorted by code unit, not by locale: the same on every machine. */
export function sortedStrings(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** JSON with every object's keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  return Object.fromEntries(sortedStrings(Object.keys(object)).map((key) => [key, sortKeys(object[key])]))
}
