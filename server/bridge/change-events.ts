import type { Collection } from '../collections/collection.ts'
import type { Doc } from '../../contracts/documents.ts'
import { topicFor, type ChangeEvent } from '../../contracts/realtime.ts'
import { isTombstone } from '../db/tombstones.ts'

/** One row of a RethinkDB changefeed. */
export interface TableChange {
  old_val?: Doc | null
  new_val?: Doc | null
}

/** One event the bridge publishes. */
export interface Publication {
  topic: string
  event: ChangeEvent
}

/** A change the bridge cannot turn into events; it is logged and skipped. */
export class MalformedChangeError extends Error {
  override name = 'MalformedChangeError'
}

function partitionOf(declaration: Collection, doc: Doc): string {
  const partition = (doc as Record<string, unknown>)[declaration.partitionKey]
  if (typeof partition !== 'string' || partition === '') {
    throw new MalformedChangeError(`${declaration.name}/${String(doc.id)} has no ${declaration.partitionKey}`)
  }
  return partition
}

function checkDoc(declaration: Collection, doc: unknown): Doc {
  const candidate = doc as Partial<Doc> | null
  if (!candidate || typeof candidate !== 'object' || typeof candidate.id !== 'string' || !Number.isInteger(candidate.version)) {
    throw new MalformedChangeError(`a change of ${declaration.name} carries a document without id or version`)
  }
  return candidate as Doc
}

/**
 * The events one changefeed row becomes, in publishing order:
 *
 * - insert or update → `upsert` of the new document on its partition topic;
 * - delete (the document replaced by its tombstone, or a row deleted
 *   outright) → `remove` on the old partition topic, with version one past
 *   the deleted document's, matching what `DELETE` answers;
 * - a change of partition (a task moved to another board) → `remove` on the
 *   old topic, then `upsert` on the new one, both at the new version.
 *
 * @throws {MalformedChangeError} when a document lacks id, version or partition.
 * @example
 * publicationsFor(tasks, { old_val: null, new_val: task })
 * // [{ topic: 'tasks/launch', event: { op: 'upsert', doc: task, version: 1 } }]
 */
export function publicationsFor(declaration: Collection, change: TableChange): Publication[] {
  // A tombstone is what a deleted document leaves: its arrival is the removal, its going is nothing.
  const before = change.old_val == null || isTombstone(change.old_val) ? undefined : checkDoc(declaration, change.old_val)
  const tombstone = isTombstone(change.new_val) ? change.new_val : undefined
  const after = change.new_val == null || tombstone ? undefined : checkDoc(declaration, change.new_val)
  if (!after) {
    if (!before) return []
    const topic = topicFor(declaration.name, partitionOf(declaration, before))
    return [{ topic, event: { op: 'remove', id: before.id, version: tombstone?.version ?? before.version + 1 } }]
  }
  const topic = topicFor(declaration.name, partitionOf(declaration, after))
  const upsert: Publication = { topic, event: { op: 'upsert', doc: after, version: after.version } }
  if (!before) return [upsert]
  const previousTopic = topicFor(declaration.name, partitionOf(declaration, before))
  if (previousTopic === topic) return [upsert]
  return [{ topic: previousTopic, event: { op: 'remove', id: after.id, version: after.version } }, upsert]
}
