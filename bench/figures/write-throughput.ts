import type { TestStack } from '../../server/testing/test-stack.ts'
import { startBareServer } from '../bare-server.ts'
import { clientProcess as client } from '../client-process.ts'
import { pairedRatioBar, round, summarize, type Figure } from '../stats.ts'

const WRITERS = 8
const WRITES_PER_WRITER = 100
const ROUNDS = 9
/**
 * Rounds of each before the counted ones. The gateway's path is long, and V8
 * compiles it over thousands of calls on threads of its own: from a cold
 * start, the server's threads other than the main and the database's spent
 * 736, 329, 217, 111, 85, 62, 42 and then about 30 µs per write in its
 * first eight rounds, while the rounds ran at 500, 880, 1,070, 1,480, 1,530,
 * 1,700, 1,450 and then 1,900–2,300/s. The bare server is at speed after
 * one. The figure is the steady rate, so six rounds of each come first.
 */
const WARM_UP_ROUNDS = 6

/**
 * Figure 3: commands per second through the local gateway with 8 concurrent
 * writers (in a client process of their own), and every write verified in
 * the database afterwards. Baseline: the same client posting the same body
 * to a bare Node HTTP server on loopback. The two alternate round by round
 * (after {@link WARM_UP_ROUNDS} of each), so a burst of other load on the
 * machine hits both alike, and the bar is judged on the median of the rounds'
 * own ratios (`pairedRatioBar`).
 */
export async function writeThroughput(stack: TestStack): Promise<Figure[]> {
  const { token } = await stack.login('alice')
  const board = `bench-writes-${Date.now()}`
  const bare = await startBareServer()
  const rates: number[] = []
  const baseRates: number[] = []
  const latencies: number[] = []
  const baseLatencies: number[] = []
  const ids: string[] = []
  const writers = client('../clients/write-rounds.ts', {
    TOKEN: token,
    BOARD: board,
    WRITERS: String(WRITERS),
    PER_WRITER: String(WRITES_PER_WRITER),
    MAX_MS: '600000',
  })
  const run = async (url: string, expect: number) => {
    writers.send({ type: 'round', url, expect })
    return writers.next<{ perSecond: number; latencies: number[]; ids: string[] }>('done')
  }
  try {
    for (let r = 0; r < WARM_UP_ROUNDS + ROUNDS; r++) {
      const counted = r >= WARM_UP_ROUNDS
      const result = await run(`${stack.apiUrl}/collections/tasks`, 201)
      ids.push(...result.ids)
      const base = await run(bare.url, 201)
      if (!counted) continue
      rates.push(result.perSecond)
      latencies.push(...result.latencies)
      baseRates.push(base.perSecond)
      baseLatencies.push(...base.latencies)
    }
  } finally {
    writers.send({ type: 'stop' })
    await bare.close()
  }
  const stored = new Set((await stack.rows('tasks')).filter((t) => t.board === board).map((t) => t.id as string))
  const lost = ids.filter((id) => !stored.has(id)).length

  const rate = summarize(rates)
  const baseRate = summarize(baseRates)
  const latency = summarize(latencies)
  const baseLatency = summarize(baseLatencies)
  const { rounds, ...bar } = pairedRatioBar(rates, baseRates, 'write.baseline', 0.5, { atLeast: true, digits: 0 })
  const group = '3 write throughput'
  return [
    {
      id: 'write',
      group,
      name: `commands/s, ${WRITERS} writers (median of ${ROUNDS} rounds)`,
      value: round(rate.median, 0),
      ...bar,
      unit: '/s',
      samples: rates.length,
      note: `${round(rate.median / baseRate.median, 2)}× the bare server's median; round by round ${rounds.join(', ')}×`,
    },
    {
      id: 'write.baseline',
      group,
      name: 'baseline: bare Node HTTP POST, same client',
      value: round(baseRate.median, 0),
      unit: '/s',
      bar: 'baseline',
      samples: baseRates.length,
      note: `latency median ${round(baseLatency.median)} ms, p99 ${round(baseLatency.p99)} ms`,
    },
    {
      id: 'write.latency',
      group,
      name: 'command latency through the gateway',
      value: round(latency.median),
      p99: round(latency.p99),
      unit: 'ms',
      bar: 'context',
      samples: latency.samples,
    },
    {
      id: 'write.lost',
      group,
      name: 'writes answered 201 but missing from the database',
      value: lost,
      unit: `of ${ids.length}`,
      bar: 'none lost',
      meets: lost === 0,
    },
  ]
}
