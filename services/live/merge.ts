import type { ChangeEvent, Doc } from '../../contracts/index.ts'
import { IdMap } from './id-map.ts'
import type { PartitionState } from './partition-state.ts'

/**
 * Pure merge rules of a live query. One rule everywhere: for a given id the
 * highest version wins, whether it comes from a realtime event, a fetched
 * page or a command's confirmation; a remove is a tombstone at its version.
 * So duplicate, reordered and stale inputs converge on the same state.
 */

function belongs(state: PartitionState, doc: Doc): boolean {
  return (doc as Record<string, unknown>)[state.ref.key] === state.ref.value
}

/** The version this partition knows for `id` (document or tombstone), 0 if none. */
export function knownVersion(state: PartitionState, id: string): number {
  return Math.max(state.docs.get(id)?.version ?? 0, state.tombstones.get(id) ?? 0)
}

function touch(state: PartitionState, id: string): PartitionState['fetch'] {
  return state.fetch ? { ...state.fetch, touched: { ...state.fetch.touched, [id]: true } } : null
}

/**
 * Applies one change. An upsert of a document that no longer belongs to this
 * partition (it moved, e.g. to another board) removes it here.
 *
 * @example
 * applyChange(state, { op: 'upsert', doc, version: doc.version })
 */
export function applyChange(state: PartitionState, event: ChangeEvent): PartitionState {
  if (event.op === 'upsert') {
    const { doc } = event
    if (!belongs(state, doc)) {
      const held = state.docs.get(doc.id)
      if (!held || held.version >= doc.version) return state
      return applyChange(state, { op: 'remove', id: doc.id, version: doc.version })
    }
    if (doc.version <= knownVersion(state, doc.id)) return state
    return { ...state, docs: state.docs.set(doc.id, doc), fetch: touch(state, doc.id) }
  }
  const { id, version } = event
  if (version <= knownVersion(state, id)) return state
  return { ...state, docs: state.docs.delete(id), tombstones: state.tombstones.set(id, version), fetch: touch(state, id) }
}

/** A (re)fetch begins: remember which ids events touch from now on. */
export function beginFetch(state: PartitionState): PartitionState {
  return { ...state, status: 'loading', fetch: { pages: [], touched: {} } }
}

/** One page arrived; held until the last page so the list never shows half a partition. */
export function addPage(state: PartitionState, items: readonly Doc[]): PartitionState {
  if (!state.fetch) return state
  return { ...state, fetch: { ...state.fetch, pages: [...state.fetch.pages, ...items] } }
}

/**
 * The last page arrived: the fetched list becomes the truth, except where an
 * event seen since the fetch began is newer. A document we held that the
 * fetch no longer lists, and no event touched meanwhile, was removed while we
 * were not listening and is dropped.
 */
export function completeFetch(state: PartitionState): PartitionState {
  if (!state.fetch) return state
  const { pages, touched } = state.fetch
  const fetched = new Map<string, Doc>()
  for (const doc of pages) {
    if (!belongs(state, doc)) continue
    if ((state.tombstones.get(doc.id) ?? 0) >= doc.version) continue
    const held = state.docs.get(doc.id)
    fetched.set(doc.id, held && held.version > doc.version ? held : doc)
  }
  for (const id of Object.keys(touched)) {
    const held = state.docs.get(id)
    const page = fetched.get(id)
    if (held && !(page && page.version >= held.version)) fetched.set(id, held)
  }
  return { ...state, docs: IdMap.from(fetched), status: 'ready', fetch: null, loaded: true }
}

/** A fetch failed: keep what we had, report the error. */
export function failFetch(state: PartitionState, forbidden = false): PartitionState {
  return { ...state, status: forbidden ? 'forbidden' : 'error', fetch: null }
}
