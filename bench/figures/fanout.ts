import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { DeepstreamClient } from '@deepstream/client'
import { issueToken } from '../../server/lib/tokens.ts'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { startPlainDeepstream } from '../plain-deepstream.ts'
import { pairedRatioBar, round, summarize, type Figure } from '../stats.ts'

const SUBSCRIBERS = 500
const EVENTS = 200
const WRITES = 40
/**
 * Counted rounds of each, in turn. A round's own ratio spread 0.72–1.11 in
 * one run of five; the bar is judged on the median of the rounds' ratios
 * (`pairedRatioBar`), and nine make that median steadier, for about 8 s more.
 */
const ROUNDS = 9
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

/** One round: events per second delivered to all subscribers, and how many did not arrive. */
async function measureRound(
  subscribers: Subscribers,
  perRound: number,
  publish: () => Promise<void>,
): Promise<{ rate: number; lost: number }> {
  const { arrived } = await subscribers.expect(perRound)
  const start = now()
  await publish()
  const { received, last } = await arrived
  return { rate: received / ((last - start) / 1000), lost: SUBSCRIBERS * perRound - received }
}

/**
 * Figure 2: 500 subscribers on one topic, one publisher. Events delivered per
 * second by a plain deepstream node (baseline) and by rtkit's deepstream (JWT
 * auth + permissions), each with its own 500 subscribers, connected
 * throughout; rounds alternate between the two after a warm-up round each,
 * so a burst of other load on the machine hits both alike, and the bar is
 * judged on the median of the rounds' own ratios. Then the full
 * write path (HTTP → handler → RethinkDB → changefeed → bridge → deepstream),
 * for context.
 */
export async function fanout(stack: TestStack): Promise<Figure[]> {
  const group = '2 fan-out'
  const plain = await startPlainDeepstream()
  const service = issueToken({ id: 'service:bench', username: 'bench', name: 'Bench' }, 'service', stack.config.jwt).token
  const { token } = await stack.login('alice')
  const board = `fanout-${Date.now()}`
  const topic = `tasks/${board}`
  const plainSubscribers = await startSubscribers(plain.url, 'fanout/plain', [])
  const rtkitSubscribers = await startSubscribers(stack.realtimeUrl, topic, [token])
  const plainPublisher = await client(plain.url)
  const rtkitPublisher = await client(stack.realtimeUrl, service)
  const plainRates: number[] = []
  const rtkitRates: number[] = []
  const writeRates: number[] = []
  let plainLost = 0
  let rtkitLost = 0
  let writeLost = 0
  try {
    for (let r = 0; r <= ROUNDS; r++) {
      // Round 0 warms up the JIT and the connections and is not counted.
      const counted = r > 0
      const base = await measureRound(plainSubscribers, EVENTS, async () => {
        for (let i = 0; i < EVENTS; i++) plainPublisher.event.emit('fanout/plain', sampleEvent(i))
      })
      const rtkit = await measureRound(rtkitSubscribers, EVENTS, async () => {
        for (let i = 0; i < EVENTS; i++) rtkitPublisher.event.emit(topic, sampleEvent(i))
      })
      if (!counted) continue
      plainRates.push(base.rate)
      rtkitRates.push(rtkit.rate)
      plainLost += base.lost
      rtkitLost += rtkit.lost
    }
    for (let r = 0; r <= 3; r++) {
      const writes = await measureRound(rtkitSubscribers, WRITES, async () => {
        await Promise.all(
          Array.from({ length: WRITES }, (_, i) =>
            stack.api('POST', '/collections/tasks', { token, body: { id: randomUUID(), board, title: `w${i}`, status: 'todo', order: i } }),
          ),
        )
      })
      if (r === 0) continue
      writeRates.push(writes.rate)
      writeLost += writes.lost
    }
  } finally {
    plainPublisher.close()
    rtkitPublisher.close()
    plainSubscribers.close()
    rtkitSubscribers.close()
    await plain.close()
  }
  const base = summarize(plainRates)
  const rate = summarize(rtkitRates)
  const writeRate = summarize(writeRates)
  const { rounds, meets, ...bar } = pairedRatioBar(rtkitRates, plainRates, 'fanout.baseline', 0.9, { atLeast: true, digits: 0 })
  return [
    {
      id: 'fanout.baseline',
      group,
      name: `baseline: plain deepstream, ${SUBSCRIBERS} subscribers`,
      value: round(base.median, 0),
      unit: 'events/s',
      bar: 'baseline',
      samples: base.samples,
      note: `${plainLost} lost`,
    },
    {
      id: 'fanout',
      group,
      name: `rtkit deepstream (auth + permissions), ${SUBSCRIBERS} subscribers`,
      value: round(rate.median, 0),
      ...bar,
      unit: 'events/s',
      meets: meets && rtkitLost === 0,
      samples: rate.samples,
      note: `${round(rate.median / base.median, 2)}× plain's median; round by round ${rounds.join(', ')}×; ${rtkitLost} lost`,
    },
    {
      id: 'fanout.writePath',
      group,
      name: `full write path, ${WRITES} writes → ${SUBSCRIBERS} subscribers`,
      value: round(writeRate.median, 0),
      unit: 'events/s',
      bar: 'context',
      samples: writeRate.samples,
      note: `${writeLost} lost`,
    },
  ]
}
