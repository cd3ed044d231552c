/**
 * The state of the realtime connection as components see it.
 *
 * - `connecting`: first connection (or after a token change) is being made.
 * - `open`: connected and logged in; live queries receive events.
 * - `reconnecting`: the connection dropped and the first retry is running.
 * - `offline`: retries are failing (or the browser reports no network);
 *   commands queue until the connection is back.
 * - `closed`: nobody is signed in, or the kit was disposed.
 *
 * @example
 * kit.connection$.subscribe((status) => {
 *   banner.hidden = status === ConnectionStatus.open
 * })
 */
export const ConnectionStatus = {
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  offline: 'offline',
  closed: 'closed',
} as const
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus]
