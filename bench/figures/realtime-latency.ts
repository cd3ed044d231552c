import { fork } from 'node:child_process'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { startPlainDeepstream } from '../plain-deepstream.ts'
import { round, summarize, type Figure } from '../stats.ts'

const CLIENTS = 50
const WRITES = 30

/**
 * Figure 1: 50 connected kits; one writes through the facade's command path
 * (HTTP → handler → RethinkDB → changefeed → bridge → deepstream); the time
 * until each other kit's live query emits the change. Baseline: a plain
 * deepstream event between two clients, measured in the same run.
 */
export async function realtimeLatency(stack: TestStack): Promise<Figure[]> {
  const plain = await startPlainDeepstream()
  try {
    const child = fork(new URL('../clients/kits.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        API_URL: stack.apiUrl,
        REALTIME_URL: stack.realtimeUrl,
        PLAIN_URL: plain.url,
        CLIENTS: String(CLIENTS),
        WRITES: String(WRITES),
      },
    })
    const result = await new Promise<{ latencies: number[]; baseline: number[] }>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill(), reject(new Error('latency clients did not finish in 120 s'))), 120_000)
      child.on('message', (message: { type: string; latencies: number[]; baseline: number[] }) => {
        if (message.type !== 'result') return
        clearTimeout(timer)
        resolve(message)
      })
      child.on('exit', (code) => code && reject(new Error(`latency clients exited with ${code}`)))
    })
    const latency = summarize(result.latencies)
    const baseline = summarize(result.baseline)
    const expected = (CLIENTS - 1) * WRITES
    const group = '1 realtime'
    return [
      {
        group,
        name: `write → other clients' live queries (${CLIENTS} clients)`,
        value: round(latency.median),
        p99: round(latency.p99),
        unit: 'ms',
        bar: 'p50 ≤ 10 ms, p99 ≤ 40 ms',
        meets: latency.median <= 10 && latency.p99 <= 40,
        samples: latency.samples,
        note: `${latency.samples} of ${expected} deliveries seen`,
      },
      {
        group,
        name: 'baseline: plain deepstream event, client → client',
        value: round(baseline.median),
        p99: round(baseline.p99),
        unit: 'ms',
        bar: 'baseline',
        samples: baseline.samples,
      },
      { group, name: 'ratio rtkit / baseline (median)', value: round(latency.median / baseline.median, 1), unit: '×', bar: 'context' },
    ]
  } finally {
    await plain.close()
  }
}
