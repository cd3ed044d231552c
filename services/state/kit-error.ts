import type { Doc } from '../../contracts/index.ts'
import type { Command } from '../commands/command.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'

/**
 * A problem the user should see: a rejected (rolled-back) command, a conflict,
 * a partition that could not be read, an expired session. Errors stay in `Kit.errors$` until dismissed.
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
  /**
   * When a live query's fetch failed: the partition it was reading (an
   * unknown collection, a server error, a refusal), so the tag showing that
   * partition can show why it is empty.
   */
  readonly query?: PartitionRef | undefined
  /** On `conflict`: the document as the server has it now. */
  readonly current?: Doc | undefined
  /** ISO-8601 time the error was recorded. */
  readonly at: string
}
