/**
 * The deepstream servers running in this process, by the URL clients reach
 * them at, so that a bridge in the same process (`RTKIT_ROLE=all`, the
 * default, and every node of `npm run cluster`) publishes straight into the
 * server instead of through a WebSocket client of its own: one loopback
 * round of framing, a socket write and read, and an event-loop turn less
 * between the changefeed and the subscribers (bench `realtime.path`). A
 * bridge elsewhere (`RTKIT_ROLE=bridge`) finds nothing here and connects as
 * before.
 */

import type { Principal } from '../../contracts/principal.ts'

/** What a bridge needs of a deepstream server in its own process. */
export interface InProcessRealtime {
  /**
   * Emits `data` on `topic` as `principal` (the bridge's service principal),
   * if the realtime rules let it publish there (`mayPerform`, as the
   * permission plugin judges a client's emit): to this node's subscribers
   * and, in a cluster, over the bus to the other nodes, as a client's emit
   * would go. `false` when refused, or when the server is not running (a
   * restart): the event is lost then, as it would be for a disconnected client.
   */
  publish(principal: Principal, topic: string, data: object): boolean
  /** Calls `listener` each time the server is back after a restart; returns the unsubscribe. */
  onRestarted(listener: () => void): () => void
}

const running = new Map<string, InProcessRealtime>()

/** Makes `realtime` the in-process server for `url`, until the returned function is called. */
export function registerInProcess(url: string, realtime: InProcessRealtime): () => void {
  running.set(url, realtime)
  return () => {
    if (running.get(url) === realtime) running.delete(url)
  }
}

/** The deepstream server of this process that answers `url`, if there is one. */
export function inProcessRealtime(url: string): InProcessRealtime | undefined {
  return running.get(url)
}
