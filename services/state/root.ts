import type { Action } from '../core/action.ts'
import { collectionsReducer, type CollectionsState } from './collections.ts'
import { commandsReducer, initialCommandsState, type CommandsState } from './commands.ts'
import { connectionReducer, initialConnectionState, type ConnectionState } from './connection.ts'
import { errorsReducer, type ErrorsState } from './errors.ts'
import { initialSessionState, sessionReducer, type SessionState } from './session.ts'

/** Everything the kit knows, in one immutable object. */
export interface KitState {
  readonly session: SessionState
  readonly connection: ConnectionState
  readonly collections: CollectionsState
  readonly commands: CommandsState
  readonly errors: ErrorsState
}

export const initialKitState: KitState = {
  session: initialSessionState,
  connection: initialConnectionState,
  collections: {},
  commands: initialCommandsState,
  errors: [],
}

/**
 * The root reducer: each slice reduces the action; the state object keeps
 * its identity when no slice changed.
 *
 * @example
 * const next = kitReducer(initialKitState, commandIssued({ command }))
 */
export function kitReducer(state: KitState, action: Action): KitState {
  const next: KitState = {
    session: sessionReducer(state.session, action),
    connection: connectionReducer(state.connection, action),
    collections: collectionsReducer(state.collections, action),
    commands: commandsReducer(state.commands, action),
    errors: errorsReducer(state.errors, action),
  }
  // Every action of every kit passes here: compared slice by slice, without a list of keys.
  const same =
    next.session === state.session &&
    next.connection === state.connection &&
    next.collections === state.collections &&
    next.commands === state.commands &&
    next.errors === state.errors
  return same ? state : next
}
