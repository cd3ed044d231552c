import type { Doc } from '../../contracts/index.ts'
import type { PartitionState } from './partition-state.ts'

import { ChangeOrigin } from './change-origin.ts'

export { ChangeOrigin }

/** What happened to one document of a partition, before the origin is known. */
export type DocDiff<F extends object = Record<string, unknown>> = (
  { readonly op: 'upsert'; readonly doc: Doc<F> } | { readonly op: 'remove'; readonly doc?: undefined }
) & {
  readonly id: string
  /** The version now: the document's, or the removal's (the last known version when the removal's is not known). */
  readonly version: number
  /** The document as this client knew it before; absent when it is new to the partition. */
  readonly previous?: Doc<F> | undefined
  readonly previousVersion?: number | undefined
}

/**
 * A change to a document of a live query's partition, once the server has it
 * (never an optimistic one). Inserts, updates and documents moving in are
 * `upsert`s; deletes and documents moving to another partition are `remove`s.
 *
 * @example
 * kit.collection<TaskFields>('tasks').where({ board: 'launch' }).changes().subscribe((change) => {
 *   if (change.origin === 'remote' && change.op === 'upsert' && !change.previous) toast(`New task: ${change.doc.title}`)
 * })
 */
export type DocChange<F extends object = Record<string, unknown>> = DocDiff<F> & {
  readonly origin: ChangeOrigin
  /** For `local` changes: the id of the command that made it. */
  readonly commandId?: string | undefined
}

function diffOne(before: PartitionState, after: PartitionState, id: string): DocDiff | undefined {
  const previous = before.docs.get(id)
  const doc = after.docs.get(id)
  if (doc === previous) return undefined
  if (doc) {
    // A refetch hands back an equal copy: a change is a new version, not a new object.
    if (previous && previous.version === doc.version) return undefined
    return { op: 'upsert', id, doc, version: doc.version, previous, previousVersion: previous?.version }
  }
  if (!previous) return undefined
  return { op: 'remove', id, version: after.tombstones.get(id) ?? previous.version, previous, previousVersion: previous.version }
}

/**
 * The documents that changed between two states of one partition. With
 * `ids`, only those are compared (a realtime event or a confirmation touches
 * one document, and a 5,000-document partition is not walked for it).
 *
 * @example
 * diffPartition(before, after) // [{ op: 'upsert', id: 't1', doc, version: 2, previous, previousVersion: 1 }]
 */
export function diffPartition(before: PartitionState, after: PartitionState, ids?: readonly string[]): DocDiff[] {
  if (before.docs === after.docs) return []
  const candidates = ids ?? new Set([...before.docs.keys(), ...after.docs.keys()])
  const diffs: DocDiff[] = []
  for (const id of candidates) {
    const diff = diffOne(before, after, id)
    if (diff) diffs.push(diff)
  }
  return diffs
}
