import type { PartitionRef } from '../gateways/http-gateway.ts'

// Its own module, not in partition-state.ts: the signed-out kit's selectors need the key, not the partitions' IdMap.

/**
 * The key of a partition in the store and of its shared live query.
 *
 * @example
 * partitionKey({ collection: 'tasks', key: 'board', value: 'launch' }) // 'tasks?board=launch'
 */
export function partitionKey(ref: PartitionRef): string {
  return `${ref.collection}?${ref.key}=${ref.value}`
}
