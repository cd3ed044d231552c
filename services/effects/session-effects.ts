import {
  EMPTY,
  catchError,
  defaultIfEmpty,
  defer,
  filter,
  exhaustMap,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  switchMap,
  takeLast,
  tap,
  timeout,
  timer,
  type Observable,
} from 'rxjs'
import type { Session } from '../../contracts/index.ts'
import { createAction, ofType, type Action } from '../core/action.ts'
import { select } from '../core/selector.ts'
import type { Effect } from '../core/store.ts'
import { UnauthorizedError } from '../gateways/http-errors.ts'
import type { KitState } from '../state/root.ts'
import {
  loginRequested,
  logoutRequested,
  nothingRestored,
  registerRequested,
  sessionExpired,
  sessionRestored,
  signInFailed,
  signedIn,
  signedOut,
} from '../state/session.ts'
import { LatestWrites } from '../storage/latest-writes.ts'
import { expiredSession, sessionStorageKey, type SessionContext } from './effect-context.ts'

/** How long sign-out waits for the server to revoke the token before signing out anyway, ms. */
const LOGOUT_WAIT_MS = 3_000

/** Dispatched once by `createKit`: read what storage remembers. */
export const kitStarted = createAction('[Kit] Started')

function isSession(value: unknown): value is Session {
  const session = value as Partial<Session> | null
  return typeof session?.token === 'string' && typeof session.expiresAt === 'number' && typeof session.user?.id === 'string'
}

function expired(context: SessionContext, expiresAt: number): boolean {
  return expiresAt * 1000 <= Date.parse(context.now())
}

/** Why `login` and `register` fail on a kit whose users the host app signs in. */
export class HostManagedSessionError extends Error {
  override name = 'HostManagedSessionError'
  constructor() {
    super('signing in is done by the host page (an auth endpoint is set), not by this kit')
  }
}

/**
 * Session I/O for rtkit accounts: restore from storage, log in and
 * register, remember and forget the session, check a restored token with
 * the server; for every kind of session, sign out (revoking the token on the
 * server) and end it when the token expires. With an auth endpoint, signing
 * in is `hostSessionEffects`' work and nothing is stored.
 */
export function sessionEffects(context: SessionContext): Effect<KitState> {
  // In order and latest last: with async storage a sign-out's removal must not be overtaken by an earlier sign-in's write.
  const writes = new LatestWrites(context.storage, 'the session')

  return (actions$, state$) => {
    const accounts = context.authEndpoint === undefined

    const restore$ = actions$.pipe(
      ofType(kitStarted),
      filter(() => accounts),
      exhaustMap(() =>
        defer(async () => context.storage.get(sessionStorageKey(context))).pipe(
          map((raw): Action => {
            const session: unknown = raw ? JSON.parse(raw) : null
            return isSession(session) && !expired(context, session.expiresAt) ? sessionRestored({ session }) : nothingRestored({})
          }),
          catchError(() => of(nothingRestored({}))),
        ),
      ),
    )

    const login$ = actions$.pipe(
      ofType(loginRequested, registerRequested),
      switchMap((action) => {
        if (!accounts) return of(signInFailed({ requestId: action.requestId, error: new HostManagedSessionError() }))
        const request$: Observable<Session> = registerRequested.is(action)
          ? context.http.register(action.username, action.password, action.name)
          : context.http.login(action.username, action.password)
        return request$.pipe(
          map((session): Action => signedIn({ requestId: action.requestId, session })),
          catchError((error: unknown) => of(signInFailed({ requestId: action.requestId, error }))),
        )
      }),
    )

    // A restored token may have been revoked or signed with another key: ask the server.
    const verify$ = actions$.pipe(
      ofType(sessionRestored),
      switchMap(() =>
        context.http.me().pipe(
          mergeMap(() => EMPTY),
          // Offline at start-up: keep the session, commands queue.
          catchError((error: unknown) => (error instanceof UnauthorizedError ? of(expiredSession(context)) : EMPTY)),
        ),
      ),
    )

    // Revoke the token on the server, then sign out; offline or refused, sign out all the same.
    const logout$ = actions$.pipe(
      ofType(logoutRequested),
      exhaustMap(() =>
        context.http.logout().pipe(
          timeout(LOGOUT_WAIT_MS),
          catchError(() => of(null)),
          takeLast(1),
          defaultIfEmpty(null),
          map(() => signedOut({ reason: 'logout' })),
        ),
      ),
    )

    const persist$ = actions$.pipe(
      ofType(signedIn, signedOut, sessionExpired),
      filter(() => accounts),
      tap((action) => writes.write(sessionStorageKey(context), signedIn.is(action) ? JSON.stringify(action.session) : null)),
      ignoreElements(),
    )

    const expiry$ = state$.pipe(
      select((state) => state.session.expiresAt),
      switchMap((expiresAt) => {
        if (expiresAt === null) return EMPTY
        const ms = Math.max(0, expiresAt * 1000 - Date.parse(context.now()))
        // setTimeout overflows beyond ~24.8 days; such sessions are checked again on the next start.
        if (ms > 2_147_000_000) return EMPTY
        return timer(ms).pipe(map(() => expiredSession(context)))
      }),
    )

    return merge(restore$, login$, verify$, logout$, persist$, expiry$)
  }
}
