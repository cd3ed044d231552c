import { createAction, props, type Action } from '../core/action.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'

/** How reachable the servers are. */
export interface ConnectionState {
  readonly realtime: ConnectionStatus
  /** `false` after an HTTP request failed to reach the server, until a retry is due. */
  readonly httpReachable: boolean
  /** Consecutive HTTP network failures, for the retry backoff. */
  readonly httpFailures: number
}

export const initialConnectionState: ConnectionState = { realtime: ConnectionStatus.closed, httpReachable: true, httpFailures: 0 }

export const realtimeStatusChanged = createAction('[Realtime] Status Changed', props<{ status: ConnectionStatus }>())
export const httpUnreachable = createAction('[Http] Unreachable')
/** Backoff elapsed (or the realtime connection came back): try HTTP again. */
export const httpRetryDue = createAction('[Http] Retry Due')
export const httpReached = createAction('[Http] Reached')

/** Pure reducer of the connection slice. */
export function connectionReducer(state: ConnectionState, action: Action): ConnectionState {
  if (realtimeStatusChanged.is(action)) {
    if (action.status === state.realtime) return state
    // A realtime (re)open proves the network is back: retry HTTP now rather than after the backoff.
    return action.status === ConnectionStatus.open
      ? { ...state, realtime: action.status, httpReachable: true }
      : { ...state, realtime: action.status }
  }
  if (httpUnreachable.is(action)) return { ...state, httpReachable: false, httpFailures: state.httpFailures + 1 }
  if (httpRetryDue.is(action)) return state.httpReachable ? state : { ...state, httpReachable: true }
  if (httpReached.is(action))
    return state.httpFailures === 0 && state.httpReachable ? state : { ...state, httpReachable: true, httpFailures: 0 }
  return state
}
