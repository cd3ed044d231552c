import { randomUUID } from 'node:crypto'
import r from 'rethinkdb'
import { connectOptions } from '../../server/db/connection.ts'
import { DEMO_BOARD, DEMO_USERS } from '../../server/db/seed.ts'
import type { TestStack } from '../../server/testing/test-stack.ts'
import { clientProcess as client } from '../client-process.ts'
import { pairedRatioBar, round, summarize, type Figure } from '../stats.ts'

const DOCS = 4_000
const PAGE_SIZE = 500
const WRITERS = 8
/**
 * Rounds of one idle and one loaded pass over the board, in turn (after one
 * of each not counted). At 15 the ratio of the medians was 1.71–2.0 over six
 * runs; 25 make each median less a matter of which passes a burst of load met.
 * The bar is judged on the median of the rounds' own ratios (`pairedRatioBar`).
 */
const ROUNDS = 25
const PAGERS = 4
const SAMPLES = 200

async function seedBoard(stack: TestStack, board: string): Promise<void> {
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
}

interface Pass {
  ms: number
  pages: number[]
  items: number
}

/**
 * Figure 7, as DESIGN.md words it: one client (in a separate process) pages
 * through a 4,000-task board while 8 writers (in another) add tasks
 * (`list.underLoad`), beside the same paging with the writers paused
 * (`list.idle`), round by round in turn, the order swapped every round.
 * A pass is the whole board, 8 pages of 500.
 */
async function pagingUnderWrites(stack: TestStack, board: string, token: string): Promise<Figure[]> {
  const env = { API_URL: stack.apiUrl, TOKEN: token }
  const pager = client('../clients/board-pager.ts', { ...env, BOARD: board, PAGE_SIZE: String(PAGE_SIZE) })
  const writers = client('../clients/writers.ts', { ...env, BOARD: `${board}-writes`, WRITERS: String(WRITERS), MAX_MS: '300000' })
  const idle: Pass[] = []
  const loaded: Pass[] = []
  try {
    await pager.next('started')
    const pass = async () => {
      const done = pager.next<Pass>('passed')
      pager.send({ type: 'pass' })
      return done
    }
    for (let round = -1; round < ROUNDS; round++) {
      for (const underLoad of round % 2 === 0 ? [true, false] : [false, true]) {
        if (underLoad) {
          const running = writers.next('running')
          writers.send({ type: 'run' })
          await running
        }
        const result = await pass()
        if (result.items < DOCS) throw new Error(`a pass saw ${result.items} of ${DOCS} tasks`)
        if (underLoad) {
          const paused = writers.next('paused')
          writers.send({ type: 'pause' })
          await paused
        }
        if (round >= 0) (underLoad ? loaded : idle).push(result)
      }
    }
  } finally {
    pager.send({ type: 'stop' })
  }
  const result = writers.next<{ writes: number }>('result')
  writers.send({ type: 'stop' })
  const { writes } = await result
  const group = '7 listing under load'
  const passIdle = summarize(idle.map((p) => p.ms))
  const passLoaded = summarize(loaded.map((p) => p.ms))
  const pagesIdle = summarize(idle.flatMap((p) => p.pages))
  const pagesLoaded = summarize(loaded.flatMap((p) => p.pages))
  const pages = DOCS / PAGE_SIZE
  const { rounds, ...bar } = pairedRatioBar(
    loaded.map((p) => p.ms),
    idle.map((p) => p.ms),
    'list.idle',
    2,
    { digits: 1 },
  )
  return [
    {
      id: 'list.underLoad',
      group,
      name: `paging a ${DOCS.toLocaleString('en')}-task board (${pages} pages of ${PAGE_SIZE}) while ${WRITERS} writers run`,
      value: round(passLoaded.median, 1),
      p99: round(passLoaded.p99, 1),
      unit: 'ms',
      ...bar,
      p99Ratio: round(passLoaded.p99 / passIdle.p99),
      samples: passLoaded.samples,
      note: `round by round ${rounds.join(', ')}×; one page: median ${round(pagesLoaded.median, 1)} ms, p99 ${round(pagesLoaded.p99, 1)} ms; ${writes} writes by the ${WRITERS} writers over the run`,
    },
    {
      id: 'list.idle',
      group,
      name: 'baseline: the same paging, writers paused (in turn)',
      value: round(passIdle.median, 1),
      p99: round(passIdle.p99, 1),
      unit: 'ms',
      bar: 'baseline',
      samples: passIdle.samples,
      note: `one page: median ${round(pagesIdle.median, 1)} ms, p99 ${round(pagesIdle.p99, 1)} ms`,
    },
  ]
}

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
 * Context (the figure's earlier form): another user's GET of a small board
 * while 4 clients (in a separate process) page through the 4,000-task board
 * again and again, beside the same GET on an idle server, in the same run.
 */
async function smallReadUnderPaging(stack: TestStack, board: string, token: string): Promise<Figure[]> {
  const bob = await stack.login('bob')
  await timedReads(stack, bob.token) // warm-up
  const idle = summarize(await timedReads(stack, bob.token))
  const pagers = client('../clients/pagers.ts', {
    API_URL: stack.apiUrl,
    TOKEN: token,
    BOARD: board,
    CLIENTS: String(PAGERS),
    PAGE_SIZE: String(PAGE_SIZE),
    MAX_MS: '180000',
  })
  await pagers.next('started')
  const started = performance.now()
  const loaded = summarize(await timedReads(stack, bob.token))
  const seconds = (performance.now() - started) / 1000
  const done = pagers.next<{ pages?: number }>('result')
  pagers.send({ type: 'stop' })
  const { pages = 0 } = await done
  const group = '7 listing under load'
  return [
    {
      id: 'list.smallReadUnderPaging',
      group,
      name: `context: another user's small GET while ${PAGERS} clients page the ${DOCS.toLocaleString('en')}-task board`,
      value: round(loaded.median),
      p99: round(loaded.p99),
      baseline: round(idle.median),
      baselineId: 'list.smallReadIdle',
      ratio: round(loaded.median / idle.median),
      unit: 'ms',
      bar: 'context',
      samples: loaded.samples,
      note: `${round(loaded.median / idle.median)}× idle; ${pages} pages of ${PAGE_SIZE} served meanwhile (${round(pages / seconds, 1)}/s)`,
    },
    {
      id: 'list.smallReadIdle',
      group,
      name: 'context: the same small GET, idle server (this run)',
      value: round(idle.median),
      p99: round(idle.p99),
      unit: 'ms',
      bar: 'context',
      samples: idle.samples,
    },
  ]
}

/**
 * Figure 7: paging a 4,000-task board while 8 writers run, against the same
 * paging idle (DESIGN.md's `list.underLoad` / `list.idle`); and, for
 * context, another user's small read while 4 clients page that board.
 */
export async function listUnderLoad(stack: TestStack): Promise<Figure[]> {
  const board = `bench-paging-${Date.now()}`
  await seedBoard(stack, board)
  const { token } = await stack.login('alice')
  return [...(await pagingUnderWrites(stack, board, token)), ...(await smallReadUnderPaging(stack, board, token))]
}
