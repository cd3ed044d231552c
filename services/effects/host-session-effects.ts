import { EMPTY, catchError, concat, defer, exhaustMap, map, merge, of, retry, switchMap, timer, type Observable } from 'rxjs'
import { hostUserId } from '../../contracts/index.ts'
import { hostTokenSource, refreshDelayMs, tokenClaims } from '../auth/host-token.ts'
import { ofType, type Action } from '../core/action.ts'
import { select } from '../core/selector.ts'
import type { Effect } from '../core/store.ts'
import { HttpError } from '../gateways/http-errors.ts'
import type { KitState } from '../state/root.ts'
import { nothingRestored, sessionExpired, signedIn, signedOut, tokenRefreshed } from '../state/session.ts'
import { SessionStatus } from '../state/session-status.ts'
import type { SessionContext } from './effect-context.ts'

/** Waits between attempts to reach the host's endpoint while it fails: 1 s, 2 s, … at most 30 s. */
const retryDelay = (attempt: number) => timer(Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5)))

/**
 * Sessions of a kit embedded with an auth endpoint: the host app signs its
 * users in, the kit only asks it for tokens.
 *
 * - At once (`createKit` imports this module when it starts, and adds the
 *   effect when it is there) and after the session expired, ask for a token: none (401)
 *   means signed out; a token is checked with `GET /auth/me`, which also
 *   gives the user's profile, and signs in. An endpoint that cannot be
 *   reached is tried again with backoff.
 * - Before the token expires, ask for a fresh one. The same user: the
 *   session goes on with it (`tokenRefreshed`: the realtime connection and
 *   the offline queue stay). None: signed out. Another user: signed out,
 *   then signed in as them.
 */
export function hostSessionEffects(context: SessionContext): Effect<KitState> {
  if (!context.authEndpoint) return () => EMPTY
  const source = hostTokenSource(context.authEndpoint)

  const signInWithHost = (): Observable<Action> =>
    defer(source).pipe(
      retry({ delay: (_error, attempt) => retryDelay(attempt) }),
      switchMap((token) => (token === null ? of(nothingRestored({})) : confirm(token))),
    )

  const confirm = (token: string): Observable<Action> =>
    context.http.me(token).pipe(
      map(({ user }) =>
        signedIn({ requestId: context.newId(), session: { token, user, expiresAt: tokenClaims(token).exp ?? fallbackExpiry(context) } }),
      ),
      catchError((error: unknown) => {
        // Refused by the server (misconfigured issuer, revoked): signed out; the console says why.
        if (error instanceof HttpError && !error.transient) {
          console.warn(`rtkit: the host's token was refused: ${error.message}`)
          return of(nothingRestored({}))
        }
        return timer(5_000).pipe(switchMap(() => confirm(token)))
      }),
    )

  return (actions$, state$) => {
    const start$ = merge(of(undefined), actions$.pipe(ofType(sessionExpired))).pipe(exhaustMap(() => signInWithHost()))

    const refresh$ = state$.pipe(
      select(
        (state) => (state.session.status === SessionStatus.signedIn ? state.session : null),
        (a, b) => a?.expiresAt === b?.expiresAt && a?.user?.id === b?.user?.id,
      ),
      switchMap((session) => {
        if (!session?.expiresAt || !session.user) return EMPTY
        const userId = session.user.id
        return timer(refreshDelayMs(session.expiresAt, Date.parse(context.now()))).pipe(
          switchMap(() => defer(source).pipe(retry({ count: 5, delay: (_error, attempt) => retryDelay(attempt) }))),
          switchMap((token): Observable<Action> => {
            if (token === null) return of(signedOut({ reason: 'expired' }))
            const { exp, sub } = tokenClaims(token)
            // The server names a host user `host:<sub>`, never by the bare subject.
            if (sub === undefined || hostUserId(sub) !== userId) return concat(of(signedOut({ reason: 'expired' })), confirm(token))
            return of(tokenRefreshed({ token, expiresAt: exp ?? fallbackExpiry(context) }))
          }),
          // Still failing: the session ends at its expiry, and signing in starts over then.
          catchError(() => EMPTY),
        )
      }),
    )

    return merge(start$, refresh$)
  }
}

/** For a token without `exp` (the server refuses those anyway): five minutes, so the kit asks again soon. */
function fallbackExpiry(context: SessionContext): number {
  return Math.floor(Date.parse(context.now()) / 1000) + 300
}
