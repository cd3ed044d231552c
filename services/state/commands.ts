import type { Doc } from '../../contracts/index.ts'
import type { Command } from '../commands/command.ts'
import { createAction, props, type Action } from '../core/action.ts'
import type { Removed } from '../gateways/http-gateway.ts'
import type { KitError } from './kit-error.ts'
import { endsSession } from './session.ts'

/** The command queue: oldest first; at most one command is in flight. */
export interface CommandsState {
  readonly queue: readonly Command[]
  /** Id of the command being sent, if any. */
  readonly sending: string | null
  /** Whether the stored queue of the signed-in user has been read (nothing is sent before). */
  readonly loaded: boolean
}

export const initialCommandsState: CommandsState = { queue: [], sending: null, loaded: false }

export const commandIssued = createAction('[Commands] Issued', props<{ command: Command }>())
/** The stored queue of the signed-in user, read after sign-in; it goes before anything issued since. */
export const commandsRestored = createAction('[Commands] Restored', props<{ commands: readonly Command[] }>())
/** Commands a closed tab left queued, taken over by this tab; they go after its own. */
export const commandsAdopted = createAction('[Commands] Adopted', props<{ commands: readonly Command[] }>())
export const sendStarted = createAction('[Commands] Send Started', props<{ id: string }>())
/** The server applied the command (or had already): its document, or the removal. */
export const commandConfirmed = createAction(
  '[Commands] Confirmed',
  props<{ command: Command; doc?: Doc | undefined; removed?: Removed | undefined; result?: unknown }>(),
)
/** The server refused the command; it is rolled back and `error` is shown. */
export const commandRejected = createAction('[Commands] Rejected', props<{ command: Command; error: KitError }>())
/** The server could not be reached; the command stays first in the queue. */
export const sendDeferred = createAction('[Commands] Send Deferred', props<{ id: string }>())

/** The version a confirmed command's later siblings were based on. */
function baseVersion(command: Command): number | undefined {
  if (command.op === 'call') return undefined
  return command.op === 'insert' ? 0 : command.expectedVersion
}

/**
 * Later queued commands on the same document that were based on the same
 * version as the one just confirmed now build on its result.
 */
function carryVersionForward(queue: readonly Command[], confirmed: Command, version: number): readonly Command[] {
  const base = baseVersion(confirmed)
  if (base === undefined) return queue
  let changed = false
  const next = queue.map((command) => {
    if (command.docId !== confirmed.docId || command.op === 'insert' || command.op === 'call' || command.expectedVersion !== base)
      return command
    changed = true
    return { ...command, expectedVersion: version }
  })
  return changed ? next : queue
}

/** Pure reducer of the command queue. */
export function commandsReducer(state: CommandsState, action: Action): CommandsState {
  if (commandIssued.is(action)) return { ...state, queue: [...state.queue, action.command] }
  if (commandsRestored.is(action)) {
    const issued = new Set(state.queue.map((command) => command.id))
    const restored = action.commands.filter((command) => !issued.has(command.id))
    return { ...state, queue: [...restored, ...state.queue], loaded: true }
  }
  if (commandsAdopted.is(action)) {
    const held = new Set(state.queue.map((command) => command.id))
    const adopted = action.commands.filter((command) => !held.has(command.id))
    return adopted.length === 0 ? state : { ...state, queue: [...state.queue, ...adopted] }
  }
  if (sendStarted.is(action)) return { ...state, sending: action.id }
  if (sendDeferred.is(action)) return state.sending === action.id ? { ...state, sending: null } : state
  if (commandConfirmed.is(action) || commandRejected.is(action)) {
    let queue: readonly Command[] = state.queue.filter((command) => command.id !== action.command.id)
    if (commandConfirmed.is(action) && action.doc) queue = carryVersionForward(queue, action.command, action.doc.version)
    return { ...state, queue, sending: state.sending === action.command.id ? null : state.sending }
  }
  // The queue stays in storage under the user's key; memory is cleared for the next user,
  // whose own stored queue is then loaded (`loaded` is false until it is).
  if (endsSession(action)) return state === initialCommandsState ? state : initialCommandsState
  return state
}
