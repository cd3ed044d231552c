import type { Doc } from '../../contracts/index.ts'
import type { Command } from '../commands/command.ts'

/**
 * A problem the user should see: a rejected (rolled-back) command, a conflict,
 * an expired session. Errors stay in `Kit.errors$` until dismissed.
 *
 * @example
 * kit.errors$.subscribe((errors) => render(errors.map((e) => e.message)))
 * kit.dismissError(errors[0].id)
 */
export interface KitError {
  /** Unique id, for `Kit.dismissError`. */
  readonly id: string
  /**
   * The server's error code (`forbidden`, `conflict`, `validation_failed`, …)
   * or a client one: `network`, `timeout`, `session_expired`, `unknown_document`.
   */
  readonly code: string
  readonly message: string
  /** HTTP status when the server answered; `undefined` for client-side errors. */
  readonly status?: number | undefined
  /** The server's `error.details`, e.g. `{ issues }` for `validation_failed`. */
  readonly details?: unknown
  /** The command that was rolled back, when the error came from one. */
  readonly command?: Command | undefined
  /** On `conflict`: the document as the server has it now. */
  readonly current?: Doc | undefined
  /** ISO-8601 time the error was recorded. */
  readonly at: string
}
