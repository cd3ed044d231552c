import type { Observable } from 'rxjs'
import type { ConnectionStatus } from './connection-status.ts'

/**
 * The realtime side: one connection, many topics.
 *
 * Tests inject the real deepstream implementation pointed at a real server;
 * the interface lets the facade run on another transport.
 */
export interface RealtimeGateway {
  /** The connection's state; replays the current one. */
  readonly status$: Observable<ConnectionStatus>
  /** Users online (deepstream presence ids), sorted; empty while not open. */
  readonly presence$: Observable<readonly string[]>
  /**
   * Events published on `topic`. Shared and ref-counted: any number of
   * subscribers make one subscription on the server, released when the last
   * unsubscribes. Survives reconnects and token changes.
   */
  event$<T = unknown>(topic: string): Observable<T>
  /**
   * Resolves once the server has confirmed the subscription of `topic` (call
   * after subscribing to `event$(topic)`), so a following read cannot miss a
   * write; resolves at once while not connected, and after a bounded wait at worst.
   */
  subscribed(topic: string): Promise<void>
  /**
   * Starts loading what a connection needs (the client library, when it is
   * loaded on demand) as soon as a session is on its way, so that the
   * connection does not wait for a download after sign-in. Optional.
   */
  preload?(): void
  /** Connects and logs in with `token`, or disconnects for `null`. A new token logs in again. */
  setToken(token: string | null): void
  /**
   * A fresh token of the same user: the open session continues with it (the
   * server extends it, and reconnects log in with it), without reconnecting.
   */
  refreshToken(token: string): void
  /** Disconnects for good and completes the streams. */
  close(): void
}
