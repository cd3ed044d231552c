import type { Doc } from '../../contracts/index.ts'
import type { Command } from '../commands/command.ts'
import type { LiveDoc } from './live-doc.ts'
import type { PartitionState } from './partition-state.ts'

/**
 * The documents of a partition as the user should see them: the server's
 * documents with every pending command applied on top, in queue order, each
 * touched document marked `pending`. Output is sorted by id.
 *
 * @example
 * overlayPending(partition, state.commands.queue)
 */
export function overlayPending(state: PartitionState, queue: readonly Command[]): LiveDoc[] {
  const { collection, key, value } = state.ref
  const docs = new Map<string, LiveDoc>(Object.entries(state.docs))
  for (const command of queue) {
    if (command.collection !== collection) continue
    const base = docs.get(command.docId)
    switch (command.op) {
      case 'insert': {
        if (base) {
          docs.set(command.docId, { ...base, pending: true })
          break
        }
        if ((state.tombstones[command.docId] ?? 0) > 0) break // confirmed and removed since
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
        if ((doc as Record<string, unknown>)[key] === value) docs.set(command.docId, doc)
        break
      }
      case 'update': {
        if (!base) break
        const next = { ...base, ...command.patch, pending: true } as LiveDoc
        if ((next as Record<string, unknown>)[key] === value) docs.set(command.docId, next)
        else docs.delete(command.docId)
        break
      }
      case 'remove':
        docs.delete(command.docId)
        break
    }
  }
  return [...docs.values()].sort(byId)
}

function byId(a: Doc, b: Doc): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
