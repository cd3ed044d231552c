import type * as R from 'rethinkdb'
import type { AnyCollection } from '../../contracts/collection.ts'
import type { Doc } from '../../contracts/documents.ts'
import { connection } from './connection.ts'
import { driver } from './driver.ts'

/**
 * Data access for declared collections. Every function takes the
 * declaration, so a new collection needs no new data-access code.
 */

export interface ListOptions {
  limit: number
  /** Return documents whose id sorts after this one (keyset paging). */
  cursor?: string | undefined
}

/** One page of a partition, ordered by id; `nextCursor` is `null` on the last page. */
export async function listDocuments(
  declaration: AnyCollection,
  partition: string,
  { limit, cursor }: ListOptions,
): Promise<{ items: Doc[]; nextCursor: string | null }> {
  const r = await driver()
  let query = r.table(declaration.name).getAll(partition, { index: declaration.partitionKey })
  if (cursor) query = query.filter(r.row('id').gt(cursor))
  const result = await query
    .orderBy('id')
    .limit(limit + 1)
    .run(await connection())
  const items = (Array.isArray(result) ? result : await (result as R.Cursor).toArray()) as Doc[]
  const more = items.length > limit
  if (more) items.length = limit
  return { items, nextCursor: more ? (items.at(-1)?.id ?? null) : null }
}

export async function getDocument(declaration: AnyCollection, id: string): Promise<Doc | undefined> {
  const r = await driver()
  const doc = await r
    .table(declaration.name)
    .get<Doc>(id)
    .run(await connection())
  return doc ?? undefined
}

/**
 * Deleted documents leave a tombstone (`<collection>/<id>` → last version),
 * so an insert replayed after its document was deleted cannot bring it back
 * at version 1 behind the backs of clients that saw the delete.
 */
export const TOMBSTONES_TABLE = 'tombstones'

export interface Tombstone {
  /** `<collection>/<document id>` */
  id: string
  /** Version the deletion carried (the deleted document's version + 1). */
  version: number
  deletedAt: string
  deletedBy: string
}

export async function findTombstone(declaration: AnyCollection, id: string): Promise<Tombstone | undefined> {
  const r = await driver()
  const tombstone = await r
    .table(TOMBSTONES_TABLE)
    .get<Tombstone>(`${declaration.name}/${id}`)
    .run(await connection())
  return tombstone ?? undefined
}

/**
 * Inserts `doc` unless a document with its id exists. Returns the stored
 * document and whether this call created it, so a repeated insert is a no-op.
 */
export async function insertDocument(declaration: AnyCollection, doc: Doc): Promise<{ doc: Doc; created: boolean }> {
  const r = await driver()
  const result = await r
    .table(declaration.name)
    .insert(doc, { conflict: 'error' })
    .run(await connection())
  if (result.inserted === 1) return { doc, created: true }
  const stored = await getDocument(declaration, doc.id)
  if (!stored) throw new Error(`insert into ${declaration.name} failed: ${firstError(result) || 'unknown error'}`)
  return { doc: stored, created: false }
}

/** What a conditional write found. */
export type WriteOutcome = { status: 'ok'; doc: Doc } | { status: 'missing' } | { status: 'conflict'; current: Doc }

const CONFLICT = 'rtkit:version-conflict'

// @types/rethinkdb lacks r.error and types r.branch too narrowly for write functions.
interface Untyped {
  branch(test: unknown, whenTrue: unknown, whenFalse: unknown): object
  error(message: string): unknown
}

/** The first error of a write result (typed as Error by @types/rethinkdb, sent as a string). */
function firstError(result: R.WriteResult): string {
  return String((result as unknown as { first_error?: string }).first_error ?? '')
}

/**
 * Applies `patch` only if the stored version is `expectedVersion`, atomically
 * on the database, raising `version` by one.
 */
export async function updateDocument(
  declaration: AnyCollection,
  id: string,
  expectedVersion: number,
  patch: Record<string, unknown>,
  updatedAt: string,
): Promise<WriteOutcome> {
  const r = await driver()
  const result = await r
    .table(declaration.name)
    .get(id)
    .update(
      (row: R.Expression<unknown>) =>
        (r as unknown as Untyped).branch(
          row('version').eq(expectedVersion),
          { ...patch, version: row('version').add(1), updatedAt },
          (r as unknown as Untyped).error(CONFLICT),
        ),
      { returnChanges: true },
    )
    .run(await connection())
  const change = (result as unknown as { changes?: Array<{ new_val: Doc }> }).changes?.[0]
  if (result.replaced === 1 && change) return { status: 'ok', doc: change.new_val }
  const current = await getDocument(declaration, id)
  if (!current) return { status: 'missing' }
  if (result.errors > 0 && firstError(result).startsWith(CONFLICT)) return { status: 'conflict', current }
  throw new Error(`update of ${declaration.name}/${id} failed: ${firstError(result) || 'no change'}`)
}

/**
 * Deletes the document only if its stored version is `version`, atomically.
 * On success the outcome carries the deleted document as it was.
 */
export async function removeDocument(declaration: AnyCollection, existing: Doc, version: number, deletedBy: string): Promise<WriteOutcome> {
  const r = await driver()
  const result = await r
    .table(declaration.name)
    .get(existing.id)
    .replace((row: R.Expression<unknown>) =>
      (r as unknown as Untyped).branch(
        row.eq(null as unknown as R.Expression<unknown>).or(row('version').eq(version)),
        null,
        (r as unknown as Untyped).error(CONFLICT),
      ),
    )
    .run(await connection())
  if (result.deleted === 1) {
    const tombstone: Tombstone = {
      id: `${declaration.name}/${existing.id}`,
      version: version + 1,
      deletedAt: new Date().toISOString(),
      deletedBy,
    }
    await r
      .table(TOMBSTONES_TABLE)
      .insert(tombstone, { conflict: 'replace' })
      .run(await connection())
    return { status: 'ok', doc: { ...existing, version } }
  }
  const current = await getDocument(declaration, existing.id)
  if (!current) return { status: 'missing' }
  if (result.errors > 0 && firstError(result).startsWith(CONFLICT)) return { status: 'conflict', current }
  throw new Error(`delete of ${declaration.name}/${existing.id} failed: ${firstError(result) || 'no change'}`)
}
