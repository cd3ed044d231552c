import { EMPTY, catchError, concat, defer, exhaustMap, filter, from, of, takeUntil, timer, type Observable } from 'rxjs'
import { ofType, type Action } from './core/action.ts'
import { select } from './core/selector.ts'
import type { Effect } from './core/store.ts'
import { kitStarted } from './effects/session-effects.ts'
import { retryDelay } from './gateways/retry-policy.ts'
import { errorDismissed, errorReported } from './state/errors.ts'
import type { KitState } from './state/root.ts'
import { loginRequested, registerRequested, sessionRestored, signedIn } from './state/session.ts'
import { SessionStatus } from './state/session-status.ts'

/** Waits between attempts while the import fails: 1 s, 2 s, … at most 30 s. */
const RETRY = { baseDelayMs: 1_000, maxDelayMs: 30_000 }

/** What the loader needs: how to import the half, what to do with it, and where ids and times come from. */
export interface SignedInLoading<M> {
  /** The dynamic import of the signed-in half (`signed-in.ts`). */
  readonly load: () => Promise<M>
  /** Starts the half once it is there (once). */
  readonly start: (module: M) => void
  /** Whether the host app signs users in: then a session may be on its way from the start. */
  readonly hostSignIn: boolean
  readonly newId: () => string
  readonly now: () => string
}

/**
 * Loads the signed-in half when a session is on its way: a sign-in or a
 * registration is requested, a session was restored from storage, or (with
 * an auth endpoint) the kit starts, so a restored session does not wait
 * for a download after its check. A failed import is reported once in
 * `errors$` and tried again with backoff while the session is still on its
 * way or on (and at the next sign-in otherwise); when it succeeds the reports
 * are dismissed. Never an unhandled rejection: the import is an observable here.
 */
export function signedInLoader<M>(loading: SignedInLoading<M>): Effect<KitState> {
  let started = false
  /** Reports still shown, dismissed once the half is there. */
  const reported = new Set<string>()
  return (actions$, state$) => {
    const sessionGone$ = state$.pipe(
      select((state) => state.session.status === SessionStatus.signedOut),
      filter((gone) => gone),
    )

    function attempt(failures: number, errorId: string): Observable<Action> {
      return defer(loading.load).pipe(
        exhaustMap((module): Observable<Action> => {
          if (!started) loading.start(module)
          started = true
          const dismissed = [...reported].map((id) => errorDismissed({ id }))
          reported.clear()
          return from(dismissed)
        }),
        catchError((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error)
          if (failures === 0) reported.add(errorId)
          const report =
            failures === 0
              ? of(
                  errorReported({
                    error: {
                      id: errorId,
                      code: 'load_failed',
                      message: `rtkit could not load what a signed-in page needs (${reason}); trying again`,
                      at: loading.now(),
                    },
                  }),
                )
              : EMPTY
          const again$ = timer(retryDelay(RETRY, failures + 1)).pipe(
            takeUntil(sessionGone$),
            exhaustMap(() => attempt(failures + 1, errorId)),
          )
          return concat(report, again$)
        }),
      )
    }

    return actions$.pipe(
      ofType(loginRequested, registerRequested, sessionRestored, signedIn, kitStarted),
      filter((action) => !started && (!kitStarted.is(action) || loading.hostSignIn)),
      exhaustMap(() => attempt(0, loading.newId())),
    )
  }
}
