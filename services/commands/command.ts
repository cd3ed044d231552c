/**
 * Commands: every user intent as a plain, serialisable object. A command is
 * applied optimistically, queued (and persisted) while offline, sent through
 * the HTTP gateway in order, and confirmed or rolled back.
 *
 * Commands name the document they touch (`docId`) and carry the version the
 * client knew when the command was issued (`expectedVersion`), so a replay
 * after reload sends exactly what the user saw.
 */

/** The three operations the HTTP API offers on any collection, and a call of a server function. */
export const CommandOp = { insert: 'insert', update: 'update', remove: 'remove', call: 'call' } as const
export type CommandOp = (typeof CommandOp)[keyof typeof CommandOp]

interface CommandBase {
  /** Client-generated UUID of the command itself. */
  readonly id: string
  /** "[Source] Event", e.g. `[Tasks] Add Task`; for logs and UIs, never for logic. */
  readonly type: string
  readonly collection: string
  /** The document the command writes; for inserts it is the new document's id. */
  readonly docId: string
  /** Id of the user who issued it; a queue is only replayed for the same user. */
  readonly userId: string
  /** ISO-8601 time the user issued it. */
  readonly issuedAt: string
}

/** `POST /collections/:collection` with `{ id: docId, ...fields }`; idempotent on `docId`. */
export interface InsertCommand extends CommandBase {
  readonly op: 'insert'
  /** The body sent to the server, without `id`. */
  readonly fields: Readonly<Record<string, unknown>>
  /**
   * Fields the server derives (e.g. a message's `author`), shown in the
   * optimistic document only and never sent.
   */
  readonly derived?: Readonly<Record<string, unknown>>
}

/** `PATCH /collections/:collection/:docId` with `{ expectedVersion, ...patch }`. */
export interface UpdateCommand extends CommandBase {
  readonly op: 'update'
  readonly patch: Readonly<Record<string, unknown>>
  /**
   * The version the client knew when the command was issued (0 for a
   * document whose insert is still pending). When an earlier queued command
   * on the same document is confirmed, the store carries its new version forward.
   */
  readonly expectedVersion: number
}

/** `DELETE /collections/:collection/:docId[?expectedVersion=]`; a 404 on replay counts as done. */
export interface RemoveCommand extends CommandBase {
  readonly op: 'remove'
  /** Sent only when set: without it the delete wins over concurrent edits. */
  readonly expectedVersion?: number | undefined
}

/**
 * `POST /functions/:function` with `input` as body and the command's `id` as
 * `Idempotency-Key`, so a replay never runs the function twice. It touches
 * no document: `collection` is `functions/<name>` (no collection's name has a
 * slash) and `docId` is the command's own id.
 */
export interface CallCommand extends CommandBase {
  readonly op: 'call'
  readonly function: string
  /** The JSON input, as given. */
  readonly input: unknown
}

/** Any command. */
export type Command = InsertCommand | UpdateCommand | RemoveCommand | CallCommand

/** Where a command is in its life while it is pending. */
export const PendingState = { queued: 'queued', sending: 'sending' } as const
export type PendingState = (typeof PendingState)[keyof typeof PendingState]

/** A command not yet confirmed or rejected by the server. */
export interface PendingCommand {
  readonly command: Command
  readonly state: PendingState
}
