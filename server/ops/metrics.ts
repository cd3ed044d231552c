import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import {
  signals,
  type BridgePublishSignal,
  type DatabaseReconnectSignal,
  type HttpRequestSignal,
  type ThrottleRefusalSignal,
} from './signals.ts'

/** HTTP methods kept as label values; anything else is counted as `other`, so a client cannot grow the label set. */
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'])

/** Latency buckets from 1 ms to 10 s: a handler's time, and the bridge's lag. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Journal buckets from 5 µs to 0.5 s: an append is a synchronous write of one line (about 10 µs here), an fsync far more. */
const DURABILITY_BUCKETS = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.001, 0.005, 0.025, 0.1, 0.5]

/** A process's metrics: its own registry, fed by {@link signals}. */
export interface Metrics {
  readonly registry: Registry
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>
  /** Stops listening to the signals (the registry keeps what it counted). */
  close(): void
}

/**
 * Creates the Prometheus metrics of one server process with `prom-client`:
 * the process defaults (`collectDefaultMetrics`) and rtkit's own, every
 * label bounded (route templates, a fixed set of methods, status codes,
 * event kinds). See README.md, "Operating rtkit", for what each means.
 *
 * @param ready whether the process can serve now, for `rtkit_ready` (asked at each scrape)
 * @param subscriptions the event subscriptions open on this node now, for `rtkit_realtime_subscriptions` (asked at each scrape; 0 without deepstream)
 * @example
 * const metrics = createMetrics(async () => (await readiness.report()).ready, () => realtime.subscriptions)
 * response.end(await metrics.render())
 */
export function createMetrics(ready: () => Promise<boolean>, subscriptions: () => number = () => 0): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  const requests = new Counter({
    name: 'rtkit_http_requests_total',
    help: 'HTTP requests answered by the API gateway, by route template, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  })
  const duration = new Histogram({
    name: 'rtkit_http_request_duration_seconds',
    help: 'Time from a request arriving at the API gateway to its answer being sent, by route template and method.',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const connections = new Gauge({
    name: 'rtkit_realtime_connections',
    help: 'deepstream clients signed in on this node now.',
    registers,
  })
  new Gauge({
    name: 'rtkit_realtime_subscriptions',
    help: "Event subscriptions (live queries, one per socket and topic) held by this node's deepstream clients now.",
    registers,
    collect() {
      this.set(subscriptions())
    },
  })
  const lag = new Histogram({
    name: 'rtkit_bridge_lag_seconds',
    help: "Time from a document's updatedAt (set by the handler that wrote it) to the bridge handing its event to deepstream.",
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const published = new Counter({
    name: 'rtkit_bridge_events_published_total',
    help: 'Events the bridge handed to deepstream, by kind (upsert, remove, resync).',
    labelNames: ['op'] as const,
    registers,
  })
  const reconnects = new Counter({
    name: 'rtkit_database_reconnects_total',
    help: 'Database connections opened again after one was lost, by part (api: the shared connection; bridge: the changefeeds).',
    labelNames: ['part'] as const,
    registers,
  })
  const failovers = new Counter({
    name: 'rtkit_database_failovers_total',
    help: 'Connections that went to another host of RTKIT_RETHINKDB_URL than the previous one.',
    registers,
  })
  const refusals = new Counter({
    name: 'rtkit_auth_throttle_refusals_total',
    help: 'Sign-in and registration attempts refused by the throttle (429), by reason (busy: too many at once; blocked: too many failures).',
    labelNames: ['reason'] as const,
    registers,
  })
  const append = new Histogram({
    name: 'rtkit_database_journal_append_seconds',
    help: 'Time the embedded database spends appending one row change to its journal, inside the write, before it is answered.',
    buckets: DURABILITY_BUCKETS,
    registers,
  })
  const sync = new Histogram({
    name: 'rtkit_database_journal_sync_seconds',
    help: "Time one fsync of the embedded database's journal takes (once a second while there are writes).",
    buckets: DURABILITY_BUCKETS,
    registers,
  })
  new Gauge({
    name: 'rtkit_ready',
    help: 'Whether this process answers GET /ready with 200 (1) or 503 (0).',
    registers,
    async collect() {
      this.set((await ready()) ? 1 : 0)
    },
  })

  // Each request's series, by route, method and status: the label sets are
  // bounded, and prom-client otherwise checks and hashes the labels per request.
  const requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(seconds: number): void } }>()
  const listeners: Array<[string, (message: unknown) => void]> = [
    [
      signals.httpRequest.name as string,
      (message) => {
        const { route, method, status, seconds } = message as HttpRequestSignal
        const verb = METHODS.has(method) ? method : 'other'
        const key = `${route} ${verb} ${status}`
        let series = requestSeries.get(key)
        if (!series) {
          series = { count: requests.labels(route, verb, String(status)), duration: duration.labels(route, verb) }
          requestSeries.set(key, series)
        }
        series.count.inc()
        series.duration.observe(seconds)
      },
    ],
    [signals.journalAppend.name as string, (message) => append.observe((message as { seconds: number }).seconds)],
    [signals.journalSync.name as string, (message) => sync.observe((message as { seconds: number }).seconds)],
    [signals.databaseReconnect.name as string, (message) => reconnects.inc({ part: (message as DatabaseReconnectSignal).part })],
    [signals.databaseFailover.name as string, () => failovers.inc()],
    [signals.throttleRefusal.name as string, (message) => refusals.inc({ reason: (message as ThrottleRefusalSignal).reason })],
    [
      signals.bridgePublish.name as string,
      (message) => {
        const { op, lagSeconds } = message as BridgePublishSignal
        published.inc({ op })
        // A clock behind the writer's (another machine) would give a negative lag: counted as none.
        if (lagSeconds !== undefined) lag.observe(Math.max(0, lagSeconds))
      },
    ],
    [signals.realtimeConnection.name as string, (message) => connections.inc((message as { delta: number }).delta)],
  ]
  for (const [name, listener] of listeners) subscribe(name, listener)
  // Label sets that exist from the start, so dashboards and alerts see zeros rather than no series.
  for (const reason of ['busy', 'blocked']) refusals.inc({ reason }, 0)
  for (const part of ['api', 'bridge']) reconnects.inc({ part }, 0)

  return {
    registry,
    render: () => registry.metrics(),
    close: () => {
      for (const [name, listener] of listeners) unsubscribe(name, listener)
    },
  }
}
