import type { Action } from '../core/action.ts'
import type { CollectionsState } from './collections.ts'
import { commandsReducer, initialCommandsState, type CommandsState } from './commands.ts'
import { connectionReducer, initialConnectionState, type ConnectionState } from './connection.ts'
import { errorsReducer, type ErrorsState } from './errors.ts'
import { initialSessionState, sessionReducer, type SessionState } from './session.ts'

/** Everything the kit knows, in one immutable object. */
export interface KitState {
  readonly session: SessionState
  readonly connection: ConnectionState
  /** `{}` until the signed-in half registers its reducer (`collections-reducer.ts`): no query is open before. */
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
 * its identity when no slice changed. The live queries' `collections` slice
 * is left as it is: the signed-in half adds its reducer to the store
 * (`store.addReducer('collections', collectionsReducer)`), so a signed-out
 * page does not load the merge rules.
 *
 * @example
 * const next = kitReducer(initialKitState, commandIssued({ command }))
 */
export function kitReducer(state: KitState, action: Action): KitState {
  const next: KitState = {
    session: sessionReducer(state.session, action),
    connection: connectionReducer(state.connection, action),
    collections: state.collections,
    commands: commandsReducer(state.commands, action),
    errors: errorsReducer(state.errors, action),
  }
  // Every action of every kit passes here: compared slice by slice, without a list of keys.
  const same =
    next.session === state.session &&
    next.connection === state.connection &&
    next.commands === state.commands &&
    next.errors === state.errors
  return same ? state : next
}
