import { fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import r from 'rethinkdb'
import { connectOptions } from '../../server/db/connection.ts'
import { DEMO_BOARD, DEMO_USERS } from '../../server/db/seed.ts'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { round, summarize, type Figure } from '../stats.ts'

const DOCS = 4_000
const PAGERS = 4
const PAGE_SIZE = 500
const SAMPLES = 200

/** Another user's small read: the demo board (a handful of tasks), as bob. */
async function timedReads(stack: TestStack, token: string): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now()
    const response = await stack.api('GET', `/collections/tasks?board=${DEMO_BOARD}`, { token })
    if (response.status !== 200) throw new Error(`the small read answered ${response.status}`)
    latencies.push(performance.now() - started)
  }
  return latencies
}

/**
 * Figure 7: another user's GET of a small board while 4 clients (in a
 * separate process) page through a 4,000-task board again and again, beside
 * the same GET on an idle server, measured in the same run.
 */
export async function listUnderLoad(stack: TestStack): Promise<Figure[]> {
  const board = `bench-paging-${Date.now()}`
  const now = new Date().toISOString()
  const conn = await r.connect(connectOptions(stack.config.database))
  try {
    const docs = Array.from({ length: DOCS }, (_, i) => ({
      id: randomUUID(),
      board,
      title: `paged ${i}`,
      status: 'todo',
      order: i,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: DEMO_USERS[0].userId,
    }))
    for (let i = 0; i < docs.length; i += 500)
      await r
        .table('tasks')
        .insert(docs.slice(i, i + 500))
        .run(conn)
  } finally {
    await conn.close()
  }
  const alice = await stack.login('alice')
  const bob = await stack.login('bob')

  await timedReads(stack, bob.token) // warm-up
  const idle = summarize(await timedReads(stack, bob.token))

  const child = fork(new URL('../clients/pagers.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      API_URL: stack.apiUrl,
      TOKEN: alice.token,
      BOARD: board,
      CLIENTS: String(PAGERS),
      PAGE_SIZE: String(PAGE_SIZE),
      MAX_MS: '180000',
    },
  })
  const messages = new Map<string, (message: { pages?: number }) => void>()
  const next = (type: string) =>
    new Promise<{ pages?: number }>((resolve, reject) => {
      const timer = setTimeout(() => (child.kill(), reject(new Error(`pagers sent no "${type}" within 200 s`))), 200_000)
      messages.set(type, (message) => (clearTimeout(timer), resolve(message)))
    })
  child.on('message', (message: { type: string; pages?: number }) => messages.get(message.type)?.(message))
  child.on('exit', (code) => code && messages.get('result')?.({}))
  await next('started')
  const started = performance.now()
  const loaded = summarize(await timedReads(stack, bob.token))
  const seconds = (performance.now() - started) / 1000
  const done = next('result')
  child.send({ type: 'stop' })
  const { pages = 0 } = await done

  const group = '7 listing under load'
  return [
    {
      id: 'list.underLoad',
      group,
      name: `another user's GET while ${PAGERS} clients page a ${DOCS.toLocaleString('en')}-task board`,
      value: round(loaded.median),
      p99: round(loaded.p99),
      baseline: round(idle.median),
      unit: 'ms',
      bar: 'p50 ≤ 2 × idle p50',
      meets: loaded.median <= 2 * idle.median,
      samples: loaded.samples,
      note: `${pages} pages of ${PAGE_SIZE} served meanwhile (${round(pages / seconds, 1)}/s)`,
    },
    {
      id: 'list.idle',
      group,
      name: 'baseline: the same GET, idle server (this run)',
      value: round(idle.median),
      p99: round(idle.p99),
      unit: 'ms',
      bar: 'baseline',
      samples: idle.samples,
    },
  ]
}
