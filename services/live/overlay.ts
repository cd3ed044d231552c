import type { Command } from '../commands/command.ts'
import type { LiveDoc } from './live-doc.ts'
import type { PartitionState } from './partition-state.ts'

/** What pending commands make of the documents they touch: the document shown, or `null` for hidden. */
type Overrides = Map<string, LiveDoc | null>

/** What the overlay reads of a partition. */
type Stored = Pick<PartitionState, 'ref' | 'docs' | 'tombstones'>

function pendingOverrides(state: Stored, queue: readonly Command[]): Overrides {
  const { collection, key, value } = state.ref
  const overrides: Overrides = new Map()
  const current = (id: string): LiveDoc | undefined => {
    const override = overrides.get(id)
    return override === undefined ? state.docs.get(id) : (override ?? undefined)
  }
  for (const command of queue) {
    if (command.collection !== collection) continue
    const base = current(command.docId)
    switch (command.op) {
      case 'insert': {
        if (base) {
          overrides.set(command.docId, { ...base, pending: true })
          break
        }
        if ((state.tombstones.get(command.docId) ?? 0) > 0) break // confirmed and removed since
        const doc = {
          ...command.derived,
          ...command.fields,
          id: command.docId,
          version: 0,
          createdAt: command.issuedAt,
          updatedAt: command.issuedAt,
          createdBy: command.userId,
          pending: true,
        } as LiveDoc
        if ((doc as Record<string, unknown>)[key] === value) overrides.set(command.docId, doc)
        break
      }
      case 'update': {
        if (!base) break
        const next = { ...base, ...command.patch, pending: true } as LiveDoc
        overrides.set(command.docId, (next as Record<string, unknown>)[key] === value ? next : null)
        break
      }
      case 'remove':
        if (base) overrides.set(command.docId, null)
        break
    }
  }
  return overrides
}

/**
 * The documents of a partition as the user should see them: the server's
 * documents with every pending command applied on top, in queue order, each
 * touched document marked `pending`. Output is sorted by id. With no pending
 * command on the collection it is the partition's own array, so it keeps its
 * identity until the documents change.
 *
 * @example
 * overlayPending(partition, state.commands.queue)
 */
export function overlayPending(state: Stored, queue: readonly Command[]): readonly LiveDoc[] {
  const docs = state.docs.values()
  // The common case, on every change a live query sees: nothing pending at all.
  if (queue.length === 0) return docs
  const overrides = pendingOverrides(state, queue)
  if (overrides.size === 0) return docs
  // One merge walk over the id-ordered documents and the (few) touched ids, sorted.
  const touched = [...overrides.keys()].sort(byIdString)
  const shown: LiveDoc[] = []
  let t = 0
  for (const doc of docs) {
    while (t < touched.length && touched[t]! < doc.id) pushOverride(shown, overrides, touched[t++]!)
    if (t < touched.length && touched[t] === doc.id) pushOverride(shown, overrides, touched[t++]!)
    else shown.push(doc)
  }
  while (t < touched.length) pushOverride(shown, overrides, touched[t++]!)
  return shown
}

function pushOverride(shown: LiveDoc[], overrides: Overrides, id: string): void {
  const doc = overrides.get(id)
  if (doc) shown.push(doc)
}

function byIdString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
