import { ConnectionStatus } from './connection-status.ts'

/** What the deepstream client reports, reduced to what the status needs. */
export type ConnectionSignal =
  { readonly kind: 'state'; readonly state: string } | { readonly kind: 'error' } | { readonly kind: 'authRejected' }

/**
 * The next {@link ConnectionStatus} after a signal from the deepstream client
 * (a pure function, so the mapping is testable without a socket).
 *
 * deepstream stays in `RECONNECTING` across failed attempts without saying
 * so again, so a connection error is what turns `reconnecting` into
 * `offline`; the first attempt after a drop shows `reconnecting`.
 *
 * @example
 * nextConnectionStatus('open', { kind: 'state', state: 'RECONNECTING' }) // 'reconnecting'
 */
export function nextConnectionStatus(previous: ConnectionStatus, signal: ConnectionSignal): ConnectionStatus {
  if (signal.kind === 'authRejected') return ConnectionStatus.offline
  if (signal.kind === 'error') {
    return previous === ConnectionStatus.open || previous === ConnectionStatus.closed ? previous : ConnectionStatus.offline
  }
  switch (signal.state) {
    case 'OPEN':
      return ConnectionStatus.open
    case 'CLOSING':
    case 'CLOSED':
      return ConnectionStatus.closed
    case 'RECONNECTING':
      if (previous === ConnectionStatus.open) return ConnectionStatus.reconnecting
      if (previous === ConnectionStatus.connecting) return ConnectionStatus.offline
      return previous === ConnectionStatus.closed ? ConnectionStatus.connecting : previous
    case 'CHALLENGE_DENIED':
    case 'TOO_MANY_AUTH_ATTEMPTS':
    case 'AUTHENTICATION_TIMEOUT':
    case 'OFFLINE':
    case 'ERROR':
      return ConnectionStatus.offline
    default:
      // INITIALISING … AUTHENTICATING: a first connection shows `connecting`;
      // while recovering, keep saying `reconnecting`/`offline` until it is open.
      return previous === ConnectionStatus.closed || previous === ConnectionStatus.open ? ConnectionStatus.connecting : previous
  }
}

/**
 * The status shown while the browser reports whether it has a network: no
 * network means `offline`, whatever the socket says (it may not have noticed
 * yet); with a network, the socket's own status. Nobody signed in stays `closed`.
 *
 * @example
 * withNetwork('open', false) // 'offline'
 */
export function withNetwork(status: ConnectionStatus, online: boolean): ConnectionStatus {
  return online || status === ConnectionStatus.closed ? status : ConnectionStatus.offline
}
