import type { CallCommand, InsertCommand, RemoveCommand, UpdateCommand } from './command.ts'
import type { CommandType } from './command-types.ts'
import { serverNormalForm } from './server-normal-form.ts'

/** What building a command needs from outside: who, a fresh id, and the time. */
export interface CommandContext {
  readonly userId: string
  /** Default `crypto.randomUUID()`. */
  readonly newId: () => string
  /** ISO-8601 now. */
  readonly now: () => string
  /** The fields of a collection the server stores as normalised text; default: the built-ins' descriptors. */
  readonly textFields?: (collection: string) => readonly string[]
}

/**
 * An insert command; `fields` is the request body without `id`, trimmed where
 * the server trims (see {@link serverNormalForm}).
 *
 * @example
 * insertCommand(context, CommandType.addTask, 'tasks', { board: 'launch', title: 'Ship', status: 'todo', order: 1 })
 */
export function insertCommand(
  context: CommandContext,
  type: CommandType,
  collection: string,
  fields: Readonly<Record<string, unknown>>,
  options: { docId?: string | undefined; derived?: Readonly<Record<string, unknown>> | undefined } = {},
): InsertCommand {
  const command: InsertCommand = {
    id: context.newId(),
    op: 'insert',
    type,
    collection,
    docId: options.docId ?? context.newId(),
    userId: context.userId,
    issuedAt: context.now(),
    fields: serverNormalForm(collection, fields, context.textFields),
  }
  return options.derived ? { ...command, derived: options.derived } : command
}

/**
 * An update command based on `expectedVersion` (0 while the document's insert
 * is pending); `patch` is trimmed where the server trims.
 *
 * @example
 * updateCommand(context, CommandType.renameTask, 'tasks', taskId, { title: 'New title' }, 3)
 */
export function updateCommand(
  context: CommandContext,
  type: CommandType,
  collection: string,
  docId: string,
  patch: Readonly<Record<string, unknown>>,
  expectedVersion: number,
): UpdateCommand {
  return {
    id: context.newId(),
    op: 'update',
    type,
    collection,
    docId,
    userId: context.userId,
    issuedAt: context.now(),
    patch: serverNormalForm(collection, patch, context.textFields),
    expectedVersion,
  }
}

/**
 * A remove command; unconditional unless `expectedVersion` is given.
 *
 * @example
 * removeCommand(context, CommandType.removeTask, 'tasks', taskId)
 */
export function removeCommand(
  context: CommandContext,
  type: CommandType,
  collection: string,
  docId: string,
  expectedVersion?: number,
): RemoveCommand {
  const command: RemoveCommand = {
    id: context.newId(),
    op: 'remove',
    type,
    collection,
    docId,
    userId: context.userId,
    issuedAt: context.now(),
  }
  return expectedVersion === undefined ? command : { ...command, expectedVersion }
}

/**
 * A call of the server function `name`; its id is the call's idempotency key.
 *
 * @example
 * callCommand(context, 'close-poll', { poll: 'p1' })
 */
export function callCommand(context: CommandContext, name: string, input: unknown): CallCommand {
  const id = context.newId()
  return {
    id,
    op: 'call',
    type: `[Functions] ${name}`,
    function: name,
    input,
    collection: `functions/${name}`,
    docId: id,
    userId: context.userId,
    issuedAt: context.now(),
  }
}
