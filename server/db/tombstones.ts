import type { Doc } from '../../contracts/documents.ts'

/**
 * What a deleted document leaves behind: its own row, replaced in the same
 * single write that deletes it, so there is no moment (and no crash point)
 * where the document is gone and its tombstone not yet written. A replayed
 * insert of that id then meets the tombstone instead of bringing the
 * document back at version 1 behind the backs of clients that saw the delete.
 *
 * A tombstone keeps only these fields: without the partition key or any
 * other declared field, no secondary index holds it, so listings never see
 * it; `getDocument` treats it as absent; the bridge publishes its arrival as
 * a removal.
 */
export interface Tombstone {
  id: string
  /** The deletion's version: the deleted document's version + 1, as `DELETE` answers and the bridge publishes. */
  version: number
  deletedAt: string
  /** User id of whoever deleted it. */
  deletedBy: string
  tombstone: true
}

/** Whether a stored row is a tombstone rather than a document. */
export function isTombstone(row: unknown): row is Tombstone {
  return typeof row === 'object' && row !== null && (row as { tombstone?: unknown }).tombstone === true
}

/** The tombstone that replaces `doc` when `deletedBy` deletes it. */
export function tombstoneOf(doc: Pick<Doc, 'id' | 'version'>, deletedBy: string, deletedAt: string): Tombstone {
  return { id: doc.id, version: doc.version + 1, deletedAt, deletedBy, tombstone: true }
}
