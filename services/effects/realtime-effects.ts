import { EMPTY, filter, ignoreElements, map, merge, pairwise, startWith, switchMap, tap } from 'rxjs'
import { ofType } from '../core/action.ts'
import type { ResyncEvent } from '../../contracts/index.ts'
import { RESYNC_TOPIC } from '../../contracts/realtime.ts'
import { select } from '../core/selector.ts'
import type { Effect } from '../core/store.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'
import { refetchRequested } from '../state/collections.ts'
import { realtimeStatusChanged } from '../state/connection.ts'
import type { KitState } from '../state/root.ts'
import { loginRequested, registerRequested, tokenRefreshed } from '../state/session.ts'
import { kitStarted } from './session-effects.ts'
import type { EffectContext } from './effect-context.ts'

/**
 * Realtime wiring: the session drives the connection (log in when someone
 * signs in, again when someone else does, disconnect on sign-out); a
 * refreshed token of the same session goes to the open connection without
 * reconnecting; the connection's status goes into the store; every (re)open
 * and every resync event makes open live queries fetch again, since events
 * may have been missed meanwhile.
 */
export function realtimeEffects(context: EffectContext): Effect<KitState> {
  return (actions$, state$) => {
    // Who is signed in, not with which token: a refresh keeps the connection.
    const identity$ = state$.pipe(select((state) => (state.session.token && state.session.user ? state.session.user.id : null)))

    const connect$ = identity$.pipe(
      tap((identity) => context.realtime.setToken(identity ? state$.value.session.token : null)),
      ignoreElements(),
    )

    const refresh$ = actions$.pipe(
      ofType(tokenRefreshed),
      tap((action) => context.realtime.refreshToken(action.token)),
      ignoreElements(),
    )

    // A session is on its way (a sign-in, or a host app that signs its users in): load the client meanwhile.
    const preload$ = actions$.pipe(
      ofType(loginRequested, registerRequested, kitStarted),
      filter((action) => !kitStarted.is(action) || context.authEndpoint !== undefined),
      tap(() => context.realtime.preload?.()),
      ignoreElements(),
    )

    const status$ = context.realtime.status$.pipe(map((status) => realtimeStatusChanged({ status })))

    const reopened$ = context.realtime.status$.pipe(
      startWith(ConnectionStatus.closed),
      pairwise(),
      filter(([before, now]) => now === ConnectionStatus.open && before !== ConnectionStatus.open),
      map(() => refetchRequested({ reason: 'realtime connection opened' })),
    )

    const resync$ = identity$.pipe(
      switchMap((identity) => (identity ? context.realtime.event$<ResyncEvent>(RESYNC_TOPIC) : EMPTY)),
      map((event) => refetchRequested({ reason: `resync: ${event?.reason ?? 'unknown'}` })),
    )

    return merge(connect$, refresh$, preload$, status$, reopened$, resync$)
  }
}
