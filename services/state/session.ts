import type { Session, UserProfile } from '../../contracts/index.ts'
import { createAction, props, type Action } from '../core/action.ts'
import { SessionStatus } from './session-status.ts'

/** The session slice; unlike `SessionView` it holds the token. */
export interface SessionState {
  readonly status: SessionStatus
  readonly user: UserProfile | null
  readonly token: string | null
  readonly expiresAt: number | null
}

/** Before storage has been read we do not know yet: `signingIn`. */
export const initialSessionState: SessionState = { status: SessionStatus.signingIn, user: null, token: null, expiresAt: null }

export const loginRequested = createAction('[Session] Login Requested', props<{ requestId: string; username: string; password: string }>())
export const registerRequested = createAction(
  '[Session] Register Requested',
  props<{ requestId: string; username: string; password: string; name: string }>(),
)
/** A login or register succeeded. */
export const signedIn = createAction('[Session] Signed In', props<{ requestId: string; session: Session }>())
/** `error` is the `HttpError` the caller's promise rejects with. */
export const signInFailed = createAction('[Session] Sign In Failed', props<{ requestId: string; error: unknown }>())
/** A stored session was found at start-up (it is checked with `GET /auth/me` next). */
export const sessionRestored = createAction('[Session] Restored', props<{ session: Session }>())
/** Storage held no usable session. */
export const nothingRestored = createAction('[Session] Nothing Restored')
export const logoutRequested = createAction('[Session] Logout Requested')
/** The token expired or the server answered 401. */
export const sessionExpired = createAction('[Session] Expired', props<{ errorId: string; at: string; message: string }>())
export const signedOut = createAction('[Session] Signed Out', props<{ reason: 'logout' | 'expired' }>())
/** The host gave a fresh token for the same user: the session goes on with it (no sign-out, no reconnect). */
export const tokenRefreshed = createAction('[Session] Token Refreshed', props<{ token: string; expiresAt: number }>())

/**
 * Whether `action` ends the signed-in user's session: sign-out, expiry, or a
 * new login/register — which may be someone else's, so whatever the kit holds
 * for the previous user (queued commands, documents it could read) must go.
 * Their stored queue stays under their own key and replays at their next sign-in.
 *
 * @example
 * if (endsSession(action)) return initialCommandsState
 */
export function endsSession(action: Action): boolean {
  return loginRequested.is(action) || registerRequested.is(action) || signedOut.is(action) || sessionExpired.is(action)
}

/** Pure reducer of the session slice. */
export function sessionReducer(state: SessionState, action: Action): SessionState {
  if (loginRequested.is(action) || registerRequested.is(action)) {
    return { status: SessionStatus.signingIn, user: null, token: null, expiresAt: null }
  }
  if (signedIn.is(action) || sessionRestored.is(action)) {
    const { token, user, expiresAt } = action.session
    return { status: SessionStatus.signedIn, user, token, expiresAt }
  }
  if (tokenRefreshed.is(action)) {
    return state.status === SessionStatus.signedIn ? { ...state, token: action.token, expiresAt: action.expiresAt } : state
  }
  if (signInFailed.is(action) || nothingRestored.is(action) || signedOut.is(action) || sessionExpired.is(action)) {
    return { status: SessionStatus.signedOut, user: null, token: null, expiresAt: null }
  }
  return state
}
