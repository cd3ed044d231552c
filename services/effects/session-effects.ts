import {
  EMPTY,
  catchError,
  defer,
  distinctUntilChanged,
  exhaustMap,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  switchMap,
  tap,
  timer,
  type Observable,
} from 'rxjs'
import type { Session } from '../../contracts/index.ts'
import { createAction, ofType, type Action } from '../core/action.ts'
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
import { sessionStorageKey, type EffectContext } from './effect-context.ts'

/** Dispatched once by `createKit`: read what storage remembers. */
export const kitStarted = createAction('[Kit] Started')

function isSession(value: unknown): value is Session {
  const session = value as Partial<Session> | null
  return typeof session?.token === 'string' && typeof session.expiresAt === 'number' && typeof session.user?.id === 'string'
}

function expired(context: EffectContext, expiresAt: number): boolean {
  return expiresAt * 1000 <= Date.parse(context.now())
}

/**
 * Session I/O: restore from storage, log in and register, remember and
 * forget the session, check a restored token with the server, and sign out
 * when the token expires.
 */
export function sessionEffects(context: EffectContext): Effect<KitState> {
  // In order and latest last: with async storage a sign-out's removal must not be overtaken by an earlier sign-in's write.
  const writes = new LatestWrites(context.storage, 'the session')

  return (actions$, state$) => {
    const restore$ = actions$.pipe(
      ofType(kitStarted),
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
          catchError(
            (error: unknown) =>
              error instanceof UnauthorizedError
                ? of(
                    sessionExpired({
                      errorId: context.newId(),
                      at: context.now(),
                      message: 'Your session has expired; please sign in again.',
                    }),
                  )
                : EMPTY, // offline at start-up: keep the session, commands queue
          ),
        ),
      ),
    )

    const logout$ = actions$.pipe(
      ofType(logoutRequested),
      map(() => signedOut({ reason: 'logout' })),
    )

    const persist$ = actions$.pipe(
      ofType(signedIn, signedOut, sessionExpired),
      tap((action) => writes.write(sessionStorageKey(context), signedIn.is(action) ? JSON.stringify(action.session) : null)),
      ignoreElements(),
    )

    const expiry$ = state$.pipe(
      map((state) => state.session.expiresAt),
      distinctUntilChanged(),
      switchMap((expiresAt) => {
        if (expiresAt === null) return EMPTY
        const ms = Math.max(0, expiresAt * 1000 - Date.parse(context.now()))
        // setTimeout overflows beyond ~24.8 days; such sessions are checked again on the next start.
        if (ms > 2_147_000_000) return EMPTY
        return timer(ms).pipe(
          map(() =>
            sessionExpired({ errorId: context.newId(), at: context.now(), message: 'Your session has expired; please sign in again.' }),
          ),
        )
      }),
    )

    return merge(restore$, login$, verify$, logout$, persist$, expiry$)
  }
}
