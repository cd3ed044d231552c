import type { Doc } from '../../contracts/index.ts'
import { ConflictError, HttpError, NotFoundError, UnauthorizedError } from '../gateways/http-errors.ts'
import type { Removed } from '../gateways/http-gateway.ts'
import type { Command } from './command.ts'

/** What to do with a command after the server answered (or did not). */
export type SendOutcome =
  | { readonly kind: 'confirmed'; readonly doc?: Doc | undefined; readonly removed?: Removed | undefined; readonly result?: unknown }
  | { readonly kind: 'rejected'; readonly error: unknown; readonly current?: Doc | undefined }
  /** Not reachable: keep the command and try later. */
  | { readonly kind: 'deferred' }
  /** 401: the session is over; keep the command for this user's next sign-in. */
  | { readonly kind: 'unauthorized'; readonly error: unknown }

/**
 * Whether a conflict's current document is our own update, applied by an
 * earlier attempt whose answer was lost: one version past ours, with our
 * fields. Then the replay counts as done instead of a false conflict.
 */
function isOwnWrite(command: Command, current: Doc | undefined): boolean {
  if (command.op !== 'update' || !current || current.version !== command.expectedVersion + 1) return false
  return Object.entries(command.patch).every(
    ([field, value]) => JSON.stringify((current as Record<string, unknown>)[field]) === JSON.stringify(value),
  )
}

/**
 * Classifies a failed send, so that replays are applied exactly once:
 * a repeated insert gets 200 (handled as success by the gateway), a repeated
 * delete gets 404 (done), a repeated update gets 409 with our own write (done).
 *
 * @example
 * failureOutcome(removeCmd, new NotFoundError('not_found', 'gone', 404)) // { kind: 'confirmed', … }
 */
export function failureOutcome(command: Command, error: unknown): SendOutcome {
  if (error instanceof HttpError && error.transient) return { kind: 'deferred' }
  if (error instanceof UnauthorizedError) return { kind: 'unauthorized', error }
  if (error instanceof NotFoundError && command.op === 'remove') return { kind: 'confirmed' }
  // A function call whose first attempt still runs on the server (its answer was lost): ask again later.
  if (command.op === 'call' && error instanceof ConflictError && (error.details as { inProgress?: unknown })?.inProgress === true) {
    return { kind: 'deferred' }
  }
  if (error instanceof ConflictError) {
    const current = error.current
    if (isOwnWrite(command, current)) return { kind: 'confirmed', doc: current }
    return { kind: 'rejected', error, current }
  }
  return { kind: 'rejected', error }
}
