import type { Doc } from '../../contracts/index.ts'
import type { KitError } from '../state/kit-error.ts'
import type { Command } from './command.ts'

/** How a command ended. A rejected command has been rolled back and its error is in `Kit.errors$`. */
export type CommandOutcome =
  | {
      readonly status: 'confirmed'
      readonly doc?: Doc | undefined
      readonly version: number
      /** What a server function returned (`kit.command`). */
      readonly result?: unknown
    }
  | { readonly status: 'rejected'; readonly error: KitError }

/**
 * What issuing a command returns. `settled` never rejects (so ignoring it
 * is safe); it stays pending while the command waits in the offline queue,
 * and a command replayed after a reload has no receipt.
 *
 * @example
 * const { docId, settled } = tasksOf(kit).addTask({ board: 'launch', title: 'Ship it' })
 * const outcome = await settled
 * if (outcome.status === 'rejected') console.warn(outcome.error.message)
 */
export interface CommandReceipt {
  readonly command: Command
  /** The id of the document the command writes (the new id for inserts). */
  readonly docId: string
  readonly settled: Promise<CommandOutcome>
}
