import type { CommandOp, CommandReceipt } from '../../services/index.ts'
import { emit } from './emit.ts'

/**
 * Which partition an event concerns: its partition key and value, as the
 * collection declares it: `{ board: 'launch' }` for a task, `{ room: 'lobby' }`
 * for a message, `{ poll: 'p1' }` for an operator's vote.
 */
export type PartitionDetail = Readonly<Record<string, string>>

/** What every command event says about the command. */
interface CommandDetail {
  /** The command's id; the user-action event that issued it (`rt-task-add`, …) carries the same `commandId`. */
  commandId: string
  /**
   * What the command does: `insert`, `update` or `remove` of a document, or
   * `call` of a server function (`kit.command`) (public and stable; the
   * facade's internal "[Source] Event" names stay out of events).
   */
  type: CommandOp
  /** The collection written: `tasks`, `messages`, or any the server declares. */
  collection: string
  /** The partition the tag shows, e.g. `{ poll: 'p1' }`; its entry is also spread into the detail (`detail.board`). */
  partition: PartitionDetail
  /** The document the command wrote (for an insert, the new document's id). */
  id: string
  /** The board, for `<rt-task-board>`'s commands. */
  board?: string
  /** The room, for `<rt-chat>`'s commands. */
  room?: string
}

/** Detail of `rt-command-confirm` (and of `<prefix>-command-confirm`). */
export type CommandConfirmDetail = CommandDetail & {
  /** The document's version after the command (for a removal, the removal's). */
  version: number
}

/** Detail of `rt-command-reject` (and of `<prefix>-command-reject`). */
export type CommandRejectDetail = CommandDetail & {
  /** Why the server (or the kit) refused it; the change has been rolled back and the tag lists the error. */
  error: { code: string; message: string; status?: number | undefined }
}

/**
 * The two command events of a tag whose events start with `Prefix`. A
 * custom tag with its own prefix declares them once for the whole page:
 *
 * @example
 * declare global {
 *   interface GlobalEventHandlersEventMap extends CommandEventMap<'poll'> {}
 * }
 */
export type CommandEventMap<Prefix extends string> = {
  [K in `${Prefix}-command-confirm`]: CustomEvent<CommandConfirmDetail>
} & {
  [K in `${Prefix}-command-reject`]: CustomEvent<CommandRejectDetail>
}

/** The command events `<rt-task-board>`, `<rt-chat>` and custom tags without a prefix of their own dispatch. */
export interface RtCommandEventMap {
  /** The server confirmed a change the user made in this tag. */
  'rt-command-confirm': CustomEvent<CommandConfirmDetail>
  /** A change the user made in this tag was refused and rolled back. */
  'rt-command-reject': CustomEvent<CommandRejectDetail>
}

declare global {
  interface GlobalEventHandlersEventMap extends RtCommandEventMap {}
}

/** Options of {@link reportOutcome}. */
export interface ReportOutcomeOptions {
  /** The events' prefix (default `rt`): `poll` dispatches `poll-command-confirm` and `poll-command-reject`. */
  prefix?: string
}

/**
 * Dispatches `rt-command-confirm` or `rt-command-reject` (or the same under
 * another prefix) from `host` once the command settles (a command queued
 * offline settles when it is sent). The events bubble and cross shadow
 * roots; their detail names the collection, the partition and the document.
 *
 * @param partition the partition the tag shows, by its key: `{ board }`, `{ poll }`
 * @example
 * const receipt = kit.collection('votes').insert({ poll, choice })
 * reportOutcome(this, receipt, { poll }, { prefix: 'poll' })
 */
export function reportOutcome(
  host: EventTarget,
  receipt: CommandReceipt,
  partition: PartitionDetail,
  { prefix = 'rt' }: ReportOutcomeOptions = {},
): void {
  const { command } = receipt
  const about = { ...partition, partition, commandId: command.id, type: command.op, collection: command.collection, id: command.docId }
  // The prefix changes the names, not the details: typed as rtkit's own.
  const confirm = `${prefix}-command-confirm` as 'rt-command-confirm'
  const reject = `${prefix}-command-reject` as 'rt-command-reject'
  void receipt.settled.then((outcome) => {
    if (outcome.status === 'confirmed') emit(host, confirm, { ...about, version: outcome.version })
    else {
      const { code, message, status } = outcome.error
      emit(host, reject, { ...about, error: { code, message, status } })
    }
  })
}
