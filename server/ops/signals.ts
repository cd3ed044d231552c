import { channel } from 'node:diagnostics_channel'

/**
 * What the server's parts report for metrics, as `node:diagnostics_channel`
 * channels. The parts publish and never import `prom-client`: a Lambda
 * bundle, the standalone embedded database and the sign-in throttle stay
 * free of it, and publishing to a channel nobody subscribes to costs one
 * `hasSubscribers` check. `server/ops/metrics.ts` subscribes in a
 * long-running server process and turns the messages into Prometheus metrics.
 *
 * @example
 * if (signals.journalAppend.hasSubscribers) signals.journalAppend.publish({ seconds })
 */
export const signals = {
  /** One HTTP request answered by the local gateway. */
  httpRequest: channel('rtkit:http.request'),
  /** One row change appended to the embedded database's journal (inside the write). */
  journalAppend: channel('rtkit:db.journal-append'),
  /** One fsync of the embedded database's journal. */
  journalSync: channel('rtkit:db.journal-sync'),
  /** A database connection opened again after one was lost. */
  databaseReconnect: channel('rtkit:db.reconnect'),
  /** A connection went to another host of `RTKIT_RETHINKDB_URL` than the last one. */
  databaseFailover: channel('rtkit:db.failover'),
  /** A sign-in or registration attempt refused by the throttle (429). */
  throttleRefusal: channel('rtkit:auth.throttle-refusal'),
  /** One event the bridge handed to deepstream. */
  bridgePublish: channel('rtkit:bridge.publish'),
  /** A deepstream client signed in (`delta` 1) or went (`delta` -1). */
  realtimeConnection: channel('rtkit:realtime.connection'),
} as const

/** {@link signals.httpRequest}'s message. */
export interface HttpRequestSignal {
  /** The route template (`/collections/{name}/{id}`), or {@link UNMATCHED_ROUTE}. */
  route: string
  method: string
  status: number
  seconds: number
}

/** The `route` of a request that matched no route (404, 405, 400): one value, never the path. */
export const UNMATCHED_ROUTE = 'unmatched'

/** {@link signals.bridgePublish}'s message. */
export interface BridgePublishSignal {
  /** `upsert`, `remove` or `resync`. */
  op: string
  /** Seconds from the document's `updatedAt` to now; absent for a resync or a row without it. */
  lagSeconds?: number
}

/** {@link signals.databaseReconnect}'s message. */
export interface DatabaseReconnectSignal {
  /** Which connection: the API's shared one, or the bridge's changefeeds. */
  part: 'api' | 'bridge'
}

/** {@link signals.throttleRefusal}'s message. */
export interface ThrottleRefusalSignal {
  /** `busy`: too many attempts at once; `blocked`: too many failures. */
  reason: 'busy' | 'blocked'
}

/** Seconds since `start` (from `process.hrtime.bigint()`). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9
}
