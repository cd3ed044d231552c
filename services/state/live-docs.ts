import { createSelector, type Selector } from '../core/selector.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import type { LiveDoc } from '../live/live-doc.ts'
import { overlayPending } from '../live/overlay.ts'
import { partitionKey } from '../live/partition-key.ts'
import type { KitState } from './root.ts'
import { selectQueue } from './selectors.ts'

// Its own module, not in selectors.ts: only live queries (the signed-in half) read it, and the overlay comes with it.

/**
 * A memoised selector of one partition's documents with pending commands
 * applied. `undefined` while the partition is not open, and until its first
 * fetch has finished (or failed), so a view never shows an empty list that
 * only means "not loaded yet". Fetch bookkeeping does not make it emit.
 *
 * @example
 * store.select(selectLiveDocs({ collection: 'tasks', key: 'board', value: 'launch' }))
 */
export function selectLiveDocs(ref: PartitionRef): Selector<KitState, readonly LiveDoc[] | undefined> {
  const key = partitionKey(ref)
  const shown = (state: KitState) => {
    const partition = state.collections[key]
    return partition !== undefined && (partition.loaded || partition.status === 'error' || partition.status === 'forbidden')
  }
  return createSelector(
    [shown, (state: KitState) => state.collections[key]?.docs, (state: KitState) => state.collections[key]?.tombstones, selectQueue],
    (visible, docs, tombstones, queue) => (visible && docs && tombstones ? overlayPending({ ref, docs, tombstones }, queue) : undefined),
  )
}
