import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { round, summarize, type Figure } from '../stats.ts'

const WRITERS = 8
const WRITES_PER_WRITER = 100
const ROUNDS = 3

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
 * Figure 3: commands per second through the local gateway with concurrent
 * writers, p99 latency, every write verified in the database afterwards.
 * Baseline: the same client against a bare Node HTTP server on loopback.
 */
export async function writeThroughput(stack: TestStack): Promise<Figure[]> {
  const { token } = await stack.login('alice')
  const board = `bench-writes-${Date.now()}`
  const rates: number[] = []
  const latencies: number[] = []
  const ids: string[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const result = await timedLoop(WRITERS, WRITES_PER_WRITER, async (writer, i) => {
      const id = randomUUID()
      const response = await stack.api('POST', '/collections/tasks', {
        token,
        body: { id, board, title: `w${writer}-${i}`, status: 'todo', order: i },
      })
      if (response.status !== 201) throw new Error(`write failed with ${response.status}`)
      ids.push(id)
    })
    rates.push(result.perSecond)
    latencies.push(...result.latencies)
  }
  const stored = new Set((await stack.rows('tasks')).filter((t) => t.board === board).map((t) => t.id as string))
  const lost = ids.filter((id) => !stored.has(id)).length

  // Baseline: a bare HTTP server answering 201 with the same client.
  const bare = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json' })
      response.end('{}')
    })
  })
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`
  const baseRates: number[] = []
  const baseLatencies: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const result = await timedLoop(WRITERS, WRITES_PER_WRITER, async () => {
      const response = await fetch(bareUrl, { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } })
      await response.text()
    })
    baseRates.push(result.perSecond)
    baseLatencies.push(...result.latencies)
  }
  bare.close()

  const rate = summarize(rates)
  const latency = summarize(latencies)
  const baseLatency = summarize(baseLatencies)
  const group = '3 write throughput'
  return [
    {
      group,
      name: `commands/s, ${WRITERS} writers (median of ${ROUNDS} runs)`,
      value: round(rate.median, 0),
      unit: '/s',
      bar: 'context',
      samples: rates.length,
    },
    {
      group,
      name: 'command latency through gateway',
      value: round(latency.median),
      p99: round(latency.p99),
      unit: 'ms',
      bar: 'context',
      samples: latency.samples,
    },
    {
      group,
      name: 'writes verified in the database',
      value: ids.length - lost,
      unit: `of ${ids.length}`,
      bar: 'none lost',
      meets: lost === 0,
    },
    {
      group,
      name: 'baseline: bare Node HTTP POST',
      value: round(summarize(baseRates).median, 0),
      unit: '/s',
      bar: 'baseline',
      note: `latency median ${round(baseLatency.median)} ms, p99 ${round(baseLatency.p99)} ms`,
    },
  ]
}
