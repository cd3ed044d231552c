import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { log } from '../lib/log.ts'
import { signals, type BridgePublishSignal } from './signals.ts'

/** The `metric` field of the line: what the CloudWatch metric filter (deploy/alarms.ts) matches. */
export const BRIDGE_LAG_METRIC = 'rtkit_bridge_lag'

/** One line a minute: CloudWatch's finest standard period. */
const EVERY_MS = 60_000

/** What one line says: the largest lag of the events published since the last line, and how many there were. */
export interface BridgeLagLine {
  metric: typeof BRIDGE_LAG_METRIC
  maxSeconds: number
  events: number
}

/**
 * How the bridge's lag reaches CloudWatch, where nothing scrapes
 * `/metrics`: once a minute with events, one JSON log line (info) on the
 * task's log, `{ "metric": "rtkit_bridge_lag", "maxSeconds": …, "events": … }`,
 * which a metric filter on the bridge's log group turns into the metric
 * `BridgeLagMaxSeconds` that the bridge-lag alarm watches. A minute without
 * events writes nothing (the alarm treats missing data as fine). The
 * Prometheus histogram `rtkit_bridge_lag_seconds` is fed from the same signal.
 *
 * @example
 * const report = reportBridgeLag()
 * // … on stop:
 * report.close()
 */
export function reportBridgeLag(everyMs = EVERY_MS): { close(): void } {
  let maxSeconds = 0
  let events = 0
  const listener = (message: unknown) => {
    const { lagSeconds } = message as BridgePublishSignal
    if (lagSeconds === undefined) return
    events++
    maxSeconds = Math.max(maxSeconds, lagSeconds)
  }
  subscribe(signals.bridgePublish.name as string, listener)
  const timer = setInterval(() => {
    if (events === 0) return
    const line: BridgeLagLine = { metric: BRIDGE_LAG_METRIC, maxSeconds, events }
    log.info(line, 'bridge lag')
    maxSeconds = 0
    events = 0
  }, everyMs)
  timer.unref()
  return {
    close: () => {
      clearInterval(timer)
      unsubscribe(signals.bridgePublish.name as string, listener)
    },
  }
}
