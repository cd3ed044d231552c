import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { DeepstreamClient } from '@deepstream/client'
import { issueToken } from '../../server/lib/tokens.ts'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { startPlainDeepstream } from '../plain-deepstream.ts'
import { round, summarize, type Figure } from '../stats.ts'

const SUBSCRIBERS = 500
const EVENTS = 200
const WRITES = 40
const ROUNDS = 3
const now = () => performance.timeOrigin + performance.now()

/** What the subscriber process reports over IPC. */
interface ChildMessage {
  type: string
  received: number
  last: number
}

interface Subscribers {
  /**
   * Arms a round and resolves once the subscribers have reset their count
   * (only then may publishing start); `arrived` resolves with the arrival
   * count and the last arrival time.
   */
  expect(events: number): Promise<{ arrived: Promise<{ received: number; last: number }> }>
  close(): void
}

async function startSubscribers(url: string, topic: string, tokens: string[]): Promise<Subscribers> {
  const child: ChildProcess = fork(new URL('../clients/subscribers.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, URL: url, TOPIC: topic, COUNT: String(SUBSCRIBERS), TOKENS: JSON.stringify(tokens) },
  })
  const next = (type: string) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subscribers did not send ${type}`)), 60_000)
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return
        clearTimeout(timer)
        child.off('message', onMessage)
        resolve(message)
      }
      child.on('message', onMessage)
    })
  await next('ready')
  return {
    async expect(events) {
      const arrived = next('arrived')
      const armed = next('armed')
      child.send({ type: 'expect', events, timeoutMs: 30_000 })
      await armed
      return { arrived }
    },
    close: () => child.send({ type: 'close' }),
  }
}

async function client(url: string, token?: string): Promise<DeepstreamClient> {
  const ds = new DeepstreamClient(url, { maxReconnectAttempts: 0 })
  await new Promise<void>((resolve, reject) =>
    ds.login(token ? { token } : {}, (ok) => (ok ? resolve() : reject(new Error('login refused')))),
  )
  return ds
}

const sampleEvent = (i: number) => ({
  op: 'upsert',
  version: i + 1,
  doc: {
    id: randomUUID(),
    board: 'fanout',
    title: `Task ${i}`,
    status: 'todo',
    order: i,
    version: i + 1,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    createdBy: 'bench',
  },
})

/** Events per second delivered to all subscribers, over `ROUNDS` rounds. */
async function measure(
  subscribers: Subscribers,
  perRound: number,
  publish: () => Promise<void>,
): Promise<{ rates: number[]; lost: number }> {
  const rates: number[] = []
  let lost = 0
  // Round 0 warms up the JIT and the connections and is not counted.
  for (let r = 0; r <= ROUNDS; r++) {
    const { arrived } = await subscribers.expect(perRound)
    const start = now()
    await publish()
    const { received, last } = await arrived
    lost += SUBSCRIBERS * perRound - received
    if (r > 0) rates.push(received / ((last - start) / 1000))
  }
  return { rates, lost }
}

/**
 * Figure 2: 500 subscribers on one topic, one publisher. Events delivered per
 * second by a plain deepstream node (baseline), by rtkit's deepstream (JWT
 * auth + permissions), and through the full write path (HTTP → handler →
 * RethinkDB → changefeed → bridge → deepstream).
 */
export async function fanout(stack: TestStack): Promise<Figure[]> {
  const group = '2 fan-out'
  const figures: Figure[] = []

  const plain = await startPlainDeepstream()
  try {
    const subscribers = await startSubscribers(plain.url, 'fanout/plain', [])
    const publisher = await client(plain.url)
    const result = await measure(subscribers, EVENTS, async () => {
      for (let i = 0; i < EVENTS; i++) publisher.event.emit('fanout/plain', sampleEvent(i))
    })
    publisher.close()
    subscribers.close()
    const rate = summarize(result.rates)
    figures.push({
      group,
      name: `baseline: plain deepstream, ${SUBSCRIBERS} subscribers`,
      value: round(rate.median, 0),
      unit: 'events/s',
      bar: 'baseline',
      samples: rate.samples,
      note: `${result.lost} lost`,
    })
  } finally {
    await plain.close()
  }

  const service = issueToken({ id: 'service:bench', username: 'bench', name: 'Bench' }, 'service', stack.config.jwt).token
  const { token } = await stack.login('alice')
  const board = `fanout-${Date.now()}`
  const topic = `tasks/${board}`
  const subscribers = await startSubscribers(stack.realtimeUrl, topic, [token])
  try {
    const publisher = await client(stack.realtimeUrl, service)
    const direct = await measure(subscribers, EVENTS, async () => {
      for (let i = 0; i < EVENTS; i++) publisher.event.emit(topic, sampleEvent(i))
    })
    publisher.close()
    const rate = summarize(direct.rates)
    figures.push({
      group,
      name: `rtkit deepstream (auth + permissions), ${SUBSCRIBERS} subscribers`,
      value: round(rate.median, 0),
      unit: 'events/s',
      bar: '≥ 50,000 events/s',
      meets: rate.median >= 50_000,
      samples: rate.samples,
      note: `${direct.lost} lost`,
    })

    const writes = await measure(subscribers, WRITES, async () => {
      await Promise.all(
        Array.from({ length: WRITES }, (_, i) =>
          stack.api('POST', '/collections/tasks', { token, body: { id: randomUUID(), board, title: `w${i}`, status: 'todo', order: i } }),
        ),
      )
    })
    const writeRate = summarize(writes.rates)
    figures.push({
      group,
      name: `full write path, ${WRITES} writes → ${SUBSCRIBERS} subscribers`,
      value: round(writeRate.median, 0),
      unit: 'events/s',
      bar: 'context',
      samples: writeRate.samples,
      note: `${writes.lost} lost`,
    })
  } finally {
    subscribers.close()
  }
  return figures
}
