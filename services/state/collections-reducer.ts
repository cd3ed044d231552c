import type { ChangeEvent } from '../../contracts/index.ts'
import type { Action } from '../core/action.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { addPage, applyChange, beginFetch, completeFetch, failFetch } from '../live/merge.ts'
import { partitionKey } from '../live/partition-key.ts'
import { emptyPartition, type PartitionState } from '../live/partition-state.ts'
import type { CollectionsState } from './collections.ts'
import { changeReceived, fetchCompleted, fetchFailed, fetchStarted, pageLoaded, queryClosed, queryOpened } from './collections.ts'
import { commandConfirmed } from './commands.ts'
import { endsSession } from './session.ts'

// The signed-in half registers this reducer when it starts (`store.addReducer`); until then no query
// is open and the slice stays `{}`.

function update(state: CollectionsState, ref: PartitionRef, change: (partition: PartitionState) => PartitionState): CollectionsState {
  const key = partitionKey(ref)
  const current = state[key]
  if (!current) return state
  const next = change(current)
  return next === current ? state : { ...state, [key]: next }
}

/** Applies `event` to each partition of `collection` it may concern. */
function applyEverywhere(state: CollectionsState, collection: string, event: ChangeEvent, partition?: string): CollectionsState {
  let next = state
  for (const [key, current] of Object.entries(state)) {
    if (current.ref.collection !== collection) continue
    // Upserts go everywhere (a moved document leaves its old partition);
    // removes only where the document is, or to the partition they were published on.
    if (event.op === 'remove' && !current.docs.has(event.id) && current.ref.value !== partition) continue
    const changed = applyChange(current, event)
    if (changed !== current) next = { ...next, [key]: changed }
  }
  return next
}

/** Pure reducer of the live-query partitions. */
export function collectionsReducer(state: CollectionsState, action: Action): CollectionsState {
  if (queryOpened.is(action)) {
    const key = partitionKey(action.ref)
    const current = state[key] ?? emptyPartition(action.ref)
    return { ...state, [key]: { ...current, watchers: current.watchers + 1 } }
  }
  if (queryClosed.is(action)) {
    const key = partitionKey(action.ref)
    const current = state[key]
    if (!current) return state
    if (current.watchers > 1) return { ...state, [key]: { ...current, watchers: current.watchers - 1 } }
    const { [key]: _closed, ...rest } = state
    return rest
  }
  if (fetchStarted.is(action)) return update(state, action.ref, beginFetch)
  if (pageLoaded.is(action)) return update(state, action.ref, (partition) => addPage(partition, action.items))
  if (fetchCompleted.is(action)) return update(state, action.ref, completeFetch)
  if (fetchFailed.is(action)) return update(state, action.ref, (partition) => failFetch(partition, action.error.status === 403))
  if (changeReceived.is(action)) {
    const { collection, partition, event } = action
    return applyEverywhere(state, collection, event, partition)
  }
  if (commandConfirmed.is(action)) {
    const { command, doc, removed } = action
    if (doc) return applyEverywhere(state, command.collection, { op: 'upsert', doc, version: doc.version })
    if (removed && removed.version > 0)
      return applyEverywhere(state, command.collection, { op: 'remove', id: removed.id, version: removed.version })
    return state
  }
  if (endsSession(action)) {
    // Keep the watched partitions (components still subscribe) but forget what this user could read;
    // the next user's sign-in fetches them again.
    return Object.fromEntries(Object.entries(state).map(([key, p]) => [key, { ...emptyPartition(p.ref), watchers: p.watchers }]))
  }
  return state
}
