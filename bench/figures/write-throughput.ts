import { randomUUID } from 'node:crypto'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { startBareServer } from '../bare-server.ts'
import { round, summarize, type Figure } from '../stats.ts'

const WRITERS = 8
const WRITES_PER_WRITER = 100
const ROUNDS = 5

async function timedLoop(writers: number, perWriter: number, write: (writer: number, i: number) => Promise<void>) {
  const latencies: number[] = []
  const started = performance.now()
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let i = 0; i < perWriter; i++) {
        const t0 = performance.now()
        await write(writer, i)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { latencies, perSecond: (writers * perWriter) / seconds }
}

/**
 * Figure 3: commands per second through the local gateway with 8 concurrent
 * writers, and every write verified in the database afterwards. Baseline:
 * the same client posting the same body to a bare Node HTTP server on
 * loopback. The two alternate round by round (after a warm-up round of
 * each), so a burst of other load on the machine hits both alike.
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
  try {
    for (let r = 0; r <= ROUNDS; r++) {
      const counted = r > 0
      const result = await timedLoop(WRITERS, WRITES_PER_WRITER, async (writer, i) => {
        const id = randomUUID()
        const response = await stack.api('POST', '/collections/tasks', {
          token,
          body: { id, board, title: `w${writer}-${i}`, status: 'todo', order: i },
        })
        if (response.status !== 201) throw new Error(`write failed with ${response.status}`)
        ids.push(id)
      })
      const base = await timedLoop(WRITERS, WRITES_PER_WRITER, async (writer, i) => {
        const body = JSON.stringify({ id: randomUUID(), board, title: `w${writer}-${i}`, status: 'todo', order: i })
        const response = await fetch(bare.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(10_000),
        })
        await response.text()
      })
      if (!counted) continue
      rates.push(result.perSecond)
      latencies.push(...result.latencies)
      baseRates.push(base.perSecond)
      baseLatencies.push(...base.latencies)
    }
  } finally {
    await bare.close()
  }
  const stored = new Set((await stack.rows('tasks')).filter((t) => t.board === board).map((t) => t.id as string))
  const lost = ids.filter((id) => !stored.has(id)).length

  const rate = summarize(rates)
  const baseRate = summarize(baseRates)
  const latency = summarize(latencies)
  const baseLatency = summarize(baseLatencies)
  const ratios = rates.map((value, i) => value / baseRates[i]!)
  const group = '3 write throughput'
  return [
    {
      id: 'write',
      group,
      name: `commands/s, ${WRITERS} writers (median of ${ROUNDS} rounds)`,
      value: round(rate.median, 0),
      baseline: round(baseRate.median, 0),
      baselineId: 'write.baseline',
      ratio: round(rate.median / baseRate.median),
      barRatio: 0.5,
      limit: round(baseRate.median / 2, 0),
      atLeast: true,
      unit: '/s',
      bar: `≥ ${round(baseRate.median / 2, 0)} (0.5 × bare HTTP)`,
      meets: rate.median >= baseRate.median / 2,
      samples: rates.length,
      note: `${round(rate.median / baseRate.median, 2)}× the bare server (round by round: ${ratios.map((x) => round(x, 2)).join(', ')})`,
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
