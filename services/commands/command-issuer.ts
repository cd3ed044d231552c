import { filter, firstValueFrom, map } from 'rxjs'
import type { Action } from '../core/action.ts'
import type { Store } from '../core/store.ts'
import type { WriteOptions } from '../kit.ts'
import { commandConfirmed, commandIssued, commandRejected } from '../state/commands.ts'
import type { KitState } from '../state/root.ts'
import { selectKnownVersion } from '../state/selectors.ts'
import type { Command } from './command.ts'
import { callCommand, insertCommand, removeCommand, updateCommand, type CommandContext } from './command-factories.ts'
import type { CommandType } from './command-types.ts'
import type { CommandOutcome, CommandReceipt } from './receipt.ts'

/**
 * Issues commands into the store: every write of the facade, generic or
 * sugar, goes through these three. A command that cannot be sent (nobody
 * signed in, an update of a document no query has loaded) is recorded as
 * what it was, an insert, update or remove, and rejected at once with an
 * error the user sees, instead of being queued.
 */
export interface CommandIssuer {
  insert(
    type: CommandType,
    collection: string,
    fields: Readonly<Record<string, unknown>>,
    options?: { docId?: string | undefined; derived?: Readonly<Record<string, unknown>> | undefined },
  ): CommandReceipt
  update(
    type: CommandType,
    collection: string,
    id: string,
    patch: Readonly<Record<string, unknown>>,
    options?: WriteOptions,
  ): CommandReceipt
  /** Without `options.expectedVersion` the delete is unconditional. */
  remove(type: CommandType, collection: string, id: string, options?: WriteOptions): CommandReceipt
  /** Calls the server function `name` with `input`, exactly once (its command id is the idempotency key). */
  call(name: string, input: unknown): CommandReceipt
}

export function commandIssuer(
  store: Store<KitState>,
  ids: { newId: () => string; now: () => string; textFields?: (collection: string) => readonly string[] },
): CommandIssuer {
  function settled(command: Command): Promise<CommandOutcome> {
    return firstValueFrom(
      store.actions$.pipe(
        filter(
          (action): action is Action & (ReturnType<typeof commandConfirmed> | ReturnType<typeof commandRejected>) =>
            (commandConfirmed.is(action) || commandRejected.is(action)) && action.command.id === command.id,
        ),
        map((action): CommandOutcome => {
          if (commandRejected.is(action)) return { status: 'rejected', error: action.error }
          const version = action.doc?.version ?? action.removed?.version ?? 0
          return { status: 'confirmed', doc: action.doc, version, ...('result' in action ? { result: action.result } : {}) }
        }),
      ),
    ).catch(() => new Promise<CommandOutcome>(() => undefined)) // disposed: never settles
  }

  function context(): CommandContext {
    return {
      userId: store.state.session.user?.id ?? '',
      newId: ids.newId,
      now: ids.now,
      ...(ids.textFields ? { textFields: ids.textFields } : {}),
    }
  }

  /** Queues `command`, or rejects it at once (visibly) with `problem`. */
  function issue(command: Command, problem?: { code: string; message: string }): CommandReceipt {
    const done = settled(command)
    const refusal = store.state.session.user ? problem : { code: 'signed_out', message: 'you are not signed in' }
    if (refusal) store.dispatch(commandRejected({ command, error: { id: ids.newId(), ...refusal, command, at: ids.now() } }))
    else store.dispatch(commandIssued({ command }))
    return { command, docId: command.docId, settled: done }
  }

  /** The version an update is based on: known to a live query, 0 if its insert is pending. */
  function baseVersionOf(collection: string, id: string): number | undefined {
    const known = selectKnownVersion(collection, id)(store.state)
    if (known !== undefined) return known
    const pendingInsert = store.state.commands.queue.some((c) => c.op === 'insert' && c.collection === collection && c.docId === id)
    return pendingInsert ? 0 : undefined
  }

  return {
    insert: (type, collection, fields, options = {}) => issue(insertCommand(context(), type, collection, fields, options)),
    update(type, collection, id, patch, options = {}) {
      const version = options.expectedVersion ?? baseVersionOf(collection, id)
      const command = updateCommand(context(), type, collection, id, patch, version ?? 0)
      if (version !== undefined) return issue(command)
      return issue(command, {
        code: 'unknown_document',
        message: `${collection}/${id} is not loaded; watch its partition or pass expectedVersion`,
      })
    },
    remove: (type, collection, id, options = {}) => issue(removeCommand(context(), type, collection, id, options.expectedVersion)),
    call: (name, input) => issue(callCommand(context(), name, input)),
  }
}
