import type { Command } from '../commands/command.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'
import type { KitState } from './root.ts'
import { SessionStatus } from './session-status.ts'

// Its own module, not in selectors.ts: only the command effects (the signed-in half) send commands.

/** Whether commands may be sent now: signed in, queue loaded, realtime open, HTTP not known to be down. */
export const selectCanSend = (state: KitState): boolean =>
  state.session.status === SessionStatus.signedIn &&
  state.commands.loaded &&
  state.connection.realtime === ConnectionStatus.open &&
  state.connection.httpReachable

/**
 * The command to send next, or `null` when none may be sent now. Only the
 * signed-in user's own commands are sent: the token goes with the request,
 * so anyone else's would be applied in this user's name.
 */
export const selectNextCommand = (state: KitState): Command | null => {
  if (!selectCanSend(state) || state.commands.sending !== null) return null
  const userId = state.session.user?.id
  return state.commands.queue.find((command) => command.userId === userId) ?? null
}
