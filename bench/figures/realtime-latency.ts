import { fork } from 'node:child_process'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { startBareServer } from '../bare-server.ts'
import { startPlainDeepstream } from '../plain-deepstream.ts'
import { round, summarize, tailOf, type Figure } from '../stats.ts'

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50)
/**
 * Counted writes, each with one sample of either baseline. At 30, a p99 was
 * hardly one: the bare HTTP baseline's was its second slowest post, and the
 * deliveries' was inside the slowest write's fan-out. At 200 the bare HTTP
 * baseline's p99 was still its second slowest post, and swung from 2.3 to
 * 6.3 ms between runs of one idle hour (the bar is twice the baselines'
 * p99s summed). At 400 it is the fourth slowest, for about 20 s more per figure.
 * More does not steady the figure: every write adds a task to the board each
 * kit holds, and at 1,200 writes (two runs, 6 December) the p50 ratio went
 * from 1.75–1.87 over the first 400 to 2.16–2.26 over the last 400, a bigger
 * board measured rather than a steadier tail; the baselines' p99s still swung
 * (bare HTTP 2.3–10.7 ms between blocks of 400 writes).
 */
const WRITES = Number(process.env.BENCH_WRITES ?? 400)

interface Result {
  realtime: number[]
  /** Each counted write's latencies, in order of arrival. */
  perWrite: number[][]
  http: number[]
  deepstream: number[]
  hop: number[]
}

/**
 * Figure 1: 50 connected kits; one writes through the facade's command path
 * (HTTP → handler → RethinkDB → changefeed → bridge → deepstream); the time
 * until each other kit's live query emits the change. The bar is relative to
 * what the transports alone cost in the same run, sample by sample in turn
 * with the writes: a bare Node HTTP POST from the same client code, plus a
 * plain deepstream event from one of 50 plain clients to the 49 others (the
 * same fan-out the kits see, whose receivers share one process just as the
 * kits do). The two-client hop is shown for context.
 */
export async function realtimeLatency(stack: TestStack): Promise<Figure[]> {
  return measureRealtime(stack, undefined)
}

/**
 * `realtime.custom`: the same measure on a collection the benchmark's config
 * module declares as an operator would (`bench/rtkit.config.mjs`, `notes`
 * by `page`), written and watched through `kit.collection(name)`, against
 * its own baselines of the same run. The bar is `realtime`'s.
 */
export async function realtimeCustom(stack: TestStack): Promise<Figure[]> {
  return measureRealtime(stack, { name: 'notes', partitionKey: 'page' })
}

async function measureRealtime(stack: TestStack, custom: { name: string; partitionKey: string } | undefined): Promise<Figure[]> {
  const plain = await startPlainDeepstream()
  const bare = await startBareServer()
  try {
    const child = fork(new URL(process.env.KITS_CLIENT ?? '../clients/kits.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        API_URL: stack.apiUrl,
        REALTIME_URL: stack.realtimeUrl,
        PLAIN_URL: plain.url,
        BARE_URL: bare.url,
        CLIENTS: String(CLIENTS),
        WRITES: String(WRITES),
        ...(custom ? { COLLECTION: custom.name, PARTITION_KEY: custom.partitionKey } : {}),
      },
    })
    const result = await new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill(), reject(new Error('latency clients did not finish in 180 s'))), 180_000)
      child.on('message', (message: Result & { type: string }) => {
        if (message.type !== 'result') return
        clearTimeout(timer)
        resolve(message)
      })
      child.on('exit', (code) => code && reject(new Error(`latency clients exited with ${code}`)))
    })
    const latency = summarize(result.realtime)
    const http = summarize(result.http)
    const deepstream = summarize(result.deepstream)
    const hop = summarize(result.hop)
    const tail = tailOf(result.perWrite)
    const barP50 = 2 * (http.median + deepstream.median)
    const barP99 = 2 * (http.p99 + deepstream.p99)
    const expected = (CLIENTS - 1) * WRITES
    const group = '1 realtime'
    const figure = {
      id: custom ? 'realtime.custom' : 'realtime',
      group,
      name: custom
        ? `write → other clients' live queries (${CLIENTS} clients), operator-declared collection "${custom.name}"`
        : `write → other clients' live queries (${CLIENTS} clients)`,
      value: round(latency.median),
      p99: round(latency.p99),
      baseline: round(http.median + deepstream.median),
      // Two baselines: the bar is twice their sum, at p50 and at p99 alike.
      baselineId: 'baseline.http + baseline.deepstream',
      ratio: round(latency.median / (http.median + deepstream.median)),
      p99Ratio: round(latency.p99 / (http.p99 + deepstream.p99)),
      barRatio: 2,
      limit: round(barP50, 1),
      unit: 'ms',
      bar: `p50 ≤ ${round(barP50, 1)}, p99 ≤ ${round(barP99, 1)} (2 × (HTTP + deepstream))`,
      meets: latency.median <= barP50 && latency.p99 <= barP99,
      samples: latency.samples,
      note:
        `${latency.samples} of ${expected} deliveries seen; ${round(latency.median / (http.median + deepstream.median), 2)}× the baselines' sum at p50, ${round(latency.p99 / (http.p99 + deepstream.p99), 2)}× at p99; ` +
        // Where the tail comes from: a few writes late as a whole (a pause on the write's way), or every write's spread.
        `the slowest ${tail.slowest} deliveries came from ${tail.slowestFrom} of ${tail.writes} writes; ` +
        `first kit p50 ${round(tail.first.median)} (p99 ${round(tail.first.p99)}) ms, first → last kit p50 ${round(tail.spread.median)} (p99 ${round(tail.spread.p99)})`,
    } satisfies Figure
    // The custom run's own baselines keep context ids, so the built-in run's stay the ones DESIGN.md names.
    const suffix = custom ? '.custom' : ''
    return [
      figure,
      {
        id: `baseline.http${suffix}`,
        group,
        name: 'baseline: bare Node HTTP POST, same client code',
        value: round(http.median),
        p99: round(http.p99),
        unit: 'ms',
        bar: 'baseline',
        samples: http.samples,
      },
      {
        id: `baseline.deepstream${suffix}`,
        group,
        name: `baseline: plain deepstream event, 1 client → ${CLIENTS - 1}`,
        value: round(deepstream.median),
        p99: round(deepstream.p99),
        unit: 'ms',
        bar: 'baseline',
        samples: deepstream.samples,
        note: `${deepstream.samples} of ${expected} deliveries seen`,
      },
      {
        id: `baseline.deepstreamHop${suffix}`,
        group,
        name: 'plain deepstream event, client → client',
        value: round(hop.median),
        p99: round(hop.p99),
        unit: 'ms',
        bar: 'context',
        samples: hop.samples,
      },
    ]
  } finally {
    await plain.close()
    await bare.close()
  }
}
