import type { CommandOp, CommandReceipt } from '../../services/index.ts'
import { emit } from './emit.ts'

/** Which partition an event concerns: the board of a task, or the room of a message. */
export type PartitionDetail = { board: string; room?: undefined } | { room: string; board?: undefined }

/** What every command event says about the command. */
interface CommandDetail {
  /** The command's id; the user-action event that issued it (`rt-task-add`, …) carries the same `commandId`. */
  commandId: string
  /**
   * What the command does to the document: `insert`, `update` or `remove`
   * (public and stable; the facade's internal "[Source] Event" names stay out
   * of events).
   */
  type: CommandOp
  /** The collection written: `tasks` or `messages`. */
  collection: string
  /** The document the command wrote (for an insert, the new document's id). */
  id: string
}

/** Detail of `rt-command-confirm`. */
export type CommandConfirmDetail = PartitionDetail &
  CommandDetail & {
    /** The document's version after the command (for a removal, the removal's). */
    version: number
  }

/** Detail of `rt-command-reject`. */
export type CommandRejectDetail = PartitionDetail &
  CommandDetail & {
    /** Why the server (or the kit) refused it; the change has been rolled back and the tag lists the error. */
    error: { code: string; message: string; status?: number | undefined }
  }

/** The command events `<rt-task-board>` and `<rt-chat>` dispatch. */
export interface RtCommandEventMap {
  /** The server confirmed a change the user made in this tag. */
  'rt-command-confirm': CustomEvent<CommandConfirmDetail>
  /** A change the user made in this tag was refused and rolled back. */
  'rt-command-reject': CustomEvent<CommandRejectDetail>
}

declare global {
  interface HTMLElementEventMap extends RtCommandEventMap {}
  interface DocumentEventMap extends RtCommandEventMap {}
  interface WindowEventMap extends RtCommandEventMap {}
}

/**
 * Dispatches `rt-command-confirm` or `rt-command-reject` from `host` once the
 * command settles (a command queued offline settles when it is sent).
 *
 * @example
 * const receipt = kit.addTask({ board, title })
 * reportOutcome(this, receipt, { board })
 */
export function reportOutcome(host: HTMLElement, receipt: CommandReceipt, partition: PartitionDetail): void {
  const { command } = receipt
  const about = { ...partition, commandId: command.id, type: command.op, collection: command.collection, id: command.docId }
  void receipt.settled.then((outcome) => {
    if (outcome.status === 'confirmed') emit(host, 'rt-command-confirm', { ...about, version: outcome.version })
    else {
      const { code, message, status } = outcome.error
      emit(host, 'rt-command-reject', { ...about, error: { code, message, status } })
    }
  })
}
