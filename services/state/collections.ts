import type { ChangeEvent, Doc } from '../../contracts/index.ts'
import { createAction, props } from '../core/action.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import type { PartitionState } from '../live/partition-state.ts'
import type { KitError } from './kit-error.ts'

// The actions of the live-query partitions. Their reducer (`collections-reducer.ts`) comes with
// the kit's signed-in half, which alone opens queries: a signed-out page does not load it.

/** Every partition some live query watches, by `partitionKey`. */
export type CollectionsState = Readonly<Record<string, PartitionState>>

export const queryOpened = createAction('[Live Query] Opened', props<{ ref: PartitionRef }>())
export const queryClosed = createAction('[Live Query] Closed', props<{ ref: PartitionRef }>())
/** Reconnect or resync: every open query fetches again. */
export const refetchRequested = createAction('[Live Query] Refetch Requested', props<{ reason: string }>())
export const fetchStarted = createAction('[Live Query] Fetch Started', props<{ ref: PartitionRef }>())
export const pageLoaded = createAction('[Live Query] Page Loaded', props<{ ref: PartitionRef; items: readonly Doc[] }>())
export const fetchCompleted = createAction('[Live Query] Fetch Completed', props<{ ref: PartitionRef }>())
export const fetchFailed = createAction('[Live Query] Fetch Failed', props<{ ref: PartitionRef; error: KitError }>())
/** An event from `<collection>/<partition>`. */
export const changeReceived = createAction(
  '[Realtime] Change Received',
  props<{ collection: string; partition: string; event: ChangeEvent }>(),
)
