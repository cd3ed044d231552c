import { createAction, props, type Action } from '../core/action.ts'
import { commandRejected } from './commands.ts'
import type { KitError } from './kit-error.ts'
import { sessionExpired } from './session.ts'
import { fetchFailed } from './collections.ts'

/** Errors shown to the user until dismissed; oldest first, at most {@link MAX_ERRORS}. */
export type ErrorsState = readonly KitError[]

export const MAX_ERRORS = 50

export const errorDismissed = createAction('[Errors] Dismissed', props<{ id: string }>())
/** A problem of the kit's own that no command or query owns (the signed-in half failed to load). */
export const errorReported = createAction('[Errors] Reported', props<{ error: KitError }>())

function push(state: ErrorsState, error: KitError): ErrorsState {
  const next = [...state, error]
  return next.length > MAX_ERRORS ? next.slice(next.length - MAX_ERRORS) : next
}

/** Pure reducer of the visible errors. */
export function errorsReducer(state: ErrorsState, action: Action): ErrorsState {
  if (commandRejected.is(action) || fetchFailed.is(action) || errorReported.is(action)) return push(state, action.error)
  if (sessionExpired.is(action)) {
    return push(state, { id: action.errorId, code: 'session_expired', message: action.message, at: action.at })
  }
  if (errorDismissed.is(action)) return state.filter((error) => error.id !== action.id)
  return state
}
