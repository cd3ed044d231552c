import { EMPTY, distinctUntilChanged, ignoreElements, map, merge, pairwise, filter, startWith, switchMap, tap } from 'rxjs'
import { RESYNC_TOPIC, type ResyncEvent } from '../../contracts/index.ts'
import type { Effect } from '../core/store.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'
import { refetchRequested } from '../state/collections.ts'
import { realtimeStatusChanged } from '../state/connection.ts'
import type { KitState } from '../state/root.ts'
import { selectToken } from '../state/selectors.ts'
import type { EffectContext } from './effect-context.ts'

/**
 * Realtime wiring: the session's token drives the connection (log in, log in
 * again on a new token, disconnect on sign-out); the connection's status goes
 * into the store; every (re)open and every resync event makes open live
 * queries fetch again, since events may have been missed meanwhile.
 */
export function realtimeEffects(context: EffectContext): Effect<KitState> {
  return (_actions$, state$) => {
    const token$ = state$.pipe(map(selectToken), distinctUntilChanged())

    const connect$ = token$.pipe(
      tap((token) => context.realtime.setToken(token)),
      ignoreElements(),
    )

    const status$ = context.realtime.status$.pipe(map((status) => realtimeStatusChanged({ status })))

    const reopened$ = context.realtime.status$.pipe(
      startWith(ConnectionStatus.closed),
      pairwise(),
      filter(([before, now]) => now === ConnectionStatus.open && before !== ConnectionStatus.open),
      map(() => refetchRequested({ reason: 'realtime connection opened' })),
    )

    const resync$ = token$.pipe(
      switchMap((token) => (token ? context.realtime.event$<ResyncEvent>(RESYNC_TOPIC) : EMPTY)),
      map((event) => refetchRequested({ reason: `resync: ${event?.reason ?? 'unknown'}` })),
    )

    return merge(connect$, status$, reopened$, resync$)
  }
}
