import type { PendingCommand } from '../commands/command.ts'
import { createSelector, type Selector } from '../core/selector.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { partitionKey } from '../live/partition-key.ts'
import { QueryStatus } from '../kit.ts'
import type { KitError } from './kit-error.ts'
import type { KitState } from './root.ts'
import { SessionStatus, type SessionView } from './session-status.ts'

export const selectSession = (state: KitState) => state.session
export const selectRealtimeStatus = (state: KitState) => state.connection.realtime
export const selectQueue = (state: KitState) => state.commands.queue
export const selectErrors = (state: KitState): readonly KitError[] => state.errors

/** The session without the token, as `Kit.session$` shows it. */
export const selectSessionView: Selector<KitState, SessionView> = createSelector([selectSession], (session): SessionView => {
  if (session.status === SessionStatus.signedIn && session.user && session.expiresAt !== null) {
    return { status: 'signedIn', user: session.user, expiresAt: session.expiresAt }
  }
  return { status: session.status === SessionStatus.signingIn ? 'signingIn' : 'signedOut', user: null, expiresAt: null }
})

/** The queue with each command's state, as `Kit.pending$` shows it. */
export const selectPending: Selector<KitState, readonly PendingCommand[]> = createSelector(
  [selectQueue, (state: KitState) => state.commands.sending],
  (queue, sending) => queue.map((command) => ({ command, state: command.id === sending ? 'sending' : 'queued' }) as const),
)

/** How a live query of `ref` stands: `loading` until its partition is open and fetched. */
export function selectQueryStatus(ref: PartitionRef): Selector<KitState, QueryStatus> {
  const key = partitionKey(ref)
  return (state) => state.collections[key]?.status ?? QueryStatus.loading
}

/** The highest version any open partition holds for a document (0 if unknown). */
export function selectKnownVersion(collection: string, id: string): Selector<KitState, number | undefined> {
  return (state) => {
    let version: number | undefined
    for (const partition of Object.values(state.collections)) {
      if (partition.ref.collection !== collection) continue
      const doc = partition.docs.get(id)
      if (doc && doc.version > (version ?? 0)) version = doc.version
    }
    return version
  }
}
