import type * as R from 'rethinkdb'
import type { Collection } from '../collections/collection.ts'
import type { Doc } from '../../contracts/documents.ts'
import { connection } from './connection.ts'
import { driver } from './driver.ts'
import { faultPoint } from './fault-points.ts'
import { isTombstone, tombstoneOf, type Tombstone } from './tombstones.ts'

/**
 * Data access for declared collections. Every function takes the
 * declaration, so a new collection needs no new data-access code.
 */

/**
 * The compound index `[partition, id]` that paging walks: one page is a
 * range of it, so it costs O(page) however large the partition is.
 */
export function pageIndexOf(declaration: Collection): { name: string; fields: [string, 'id'] } {
  return { name: `${declaration.partitionKey}_id`, fields: [declaration.partitionKey, 'id'] }
}

export interface ListOptions {
  limit: number
  /** Return documents whose id sorts after this one (keyset paging). */
  cursor?: string | undefined
}

/** One page of a partition, ordered by id; `nextCursor` is `null` on the last page. */
export async function listDocuments(
  declaration: Collection,
  partition: string,
  { limit, cursor }: ListOptions,
): Promise<{ items: Doc[]; nextCursor: string | null }> {
  const r = await driver()
  const index = pageIndexOf(declaration).name
  // @types/rethinkdb types neither between's bound options nor orderBy({ index }) on a selection.
  const { minval, maxval } = r as unknown as { minval: unknown; maxval: unknown }
  const range = (r.table(declaration.name) as unknown as Paging).between([partition, cursor ?? minval], [partition, maxval], {
    index,
    leftBound: cursor ? 'open' : 'closed',
  })
  const result = await range
    .orderBy({ index })
    .limit(limit + 1)
    .run(await connection())
  const items = (Array.isArray(result) ? result : await (result as R.Cursor).toArray()) as Doc[]
  const more = items.length > limit
  if (more) items.length = limit
  return { items, nextCursor: more ? (items.at(-1)?.id ?? null) : null }
}

interface Paging {
  between(left: unknown[], right: unknown[], options: { index: string; leftBound: 'open' | 'closed' }): Paging
  orderBy(options: { index: string }): Paging
  limit(n: number): R.Operation<unknown>
}

/** The stored row of `id`: a document, a tombstone, or nothing. */
async function storedRow(declaration: Collection, id: string): Promise<Doc | Tombstone | undefined> {
  const r = await driver()
  const row = await r
    .table(declaration.name)
    .get<Doc | Tombstone>(id)
    .run(await connection())
  return row ?? undefined
}

/** The document `id`; `undefined` when there is none or it was deleted. */
export async function getDocument(declaration: Collection, id: string): Promise<Doc | undefined> {
  const row = await storedRow(declaration, id)
  return row && !isTombstone(row) ? row : undefined
}

/** A new document at version 1: `fields` (id included) and the server's meta fields. */
export function newDocument(fields: Record<string, unknown> & { id: string }, createdBy: string, now: string): Doc {
  return { ...fields, version: 1, createdAt: now, updatedAt: now, createdBy } as Doc
}

/** What an insert found. */
export type InsertOutcome =
  | { status: 'created'; doc: Doc }
  /** A document with that id exists already: nothing was written. */
  | { status: 'exists'; doc: Doc }
  /** That id was deleted: nothing was written. */
  | { status: 'deleted'; tombstone: Tombstone }

/**
 * Inserts `doc` unless a row with its id exists, in one atomic write: the
 * existing row (a document or a deleted document's tombstone) says why not,
 * so a repeated insert is a no-op and a replayed one cannot resurrect.
 */
export async function insertDocument(declaration: Collection, doc: Doc): Promise<InsertOutcome> {
  const r = await driver()
  await faultPoint('insert:before-write')
  const result = await r
    .table(declaration.name)
    .insert(doc, { conflict: 'error' })
    .run(await connection())
  if (result.inserted === 1) return { status: 'created', doc }
  const stored = await storedRow(declaration, doc.id)
  if (!stored) throw new Error(`insert into ${declaration.name} failed: ${firstError(result) || 'unknown error'}`)
  return isTombstone(stored) ? { status: 'deleted', tombstone: stored } : { status: 'exists', doc: stored }
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
  declaration: Collection,
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
          row('version').eq(expectedVersion).and(row.hasFields('tombstone').not()),
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
 * Replaces the document with its tombstone, only if its stored version is
 * `version`: the delete and the tombstone are one atomic write. On success
 * the outcome carries the deleted document as it was.
 */
export async function removeDocument(declaration: Collection, existing: Doc, version: number, deletedBy: string): Promise<WriteOutcome> {
  const r = await driver()
  const untyped = r as unknown as Untyped
  const tombstone = tombstoneOf({ id: existing.id, version }, deletedBy, new Date().toISOString())
  await faultPoint('delete:before-write')
  const result = await r
    .table(declaration.name)
    .get(existing.id)
    .replace((row: R.Expression<unknown>) =>
      untyped.branch(
        row.eq(null as unknown as R.Expression<unknown>),
        null, // nothing to delete
        untyped.branch(
          row.hasFields('tombstone'),
          row, // deleted already: left as it is
          untyped.branch(row('version').eq(version), tombstone, untyped.error(CONFLICT)),
        ),
      ),
    )
    .run(await connection())
  await faultPoint('delete:after-write')
  if (result.replaced === 1) return { status: 'ok', doc: { ...existing, version } }
  const current = await getDocument(declaration, existing.id)
  if (!current) return { status: 'missing' }
  if (result.errors > 0 && firstError(result).startsWith(CONFLICT)) return { status: 'conflict', current }
  throw new Error(`delete of ${declaration.name}/${existing.id} failed: ${firstError(result) || 'no change'}`)
}
