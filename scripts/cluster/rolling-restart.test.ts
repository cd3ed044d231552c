import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { request } from 'node:http'
import { after, before, describe, it, type TestContext } from 'node:test'
import r from 'rethinkdb'
import type { Subscription } from 'rxjs'
import type { Session, TaskFields } from '../../contracts/index.ts'
import { loadConfig } from '../../server/config.ts'
import { connectOptions } from '../../server/db/connection.ts'
import { DEMO_PASSWORD } from '../../server/db/seed.ts'
import { testEnv } from '../../server/testing/test-env.ts'
import { createKit, MemoryStorage, tasksOf, type ConnectionStatus, type Kit, type KitError, type LiveDoc } from '../../services/index.ts'
import { startLocalCluster, type LocalCluster } from './local-cluster.ts'

// A rolling restart of `npm run cluster` (two nodes, Redis, HAProxy, one
// database) under a steady, bounded load of four clients (the services
// layer, as a page runs it) writing through the balancer and watching one
// board live. Every node is restarted in turn with SIGTERM, as an operator
// or an orchestrator does; the test then compares the database with what
// the clients were told, and each client's view with the database. Figures
// go to the test output as diagnostics (`# …`); none is asserted on time.

const WRITERS = 4
/** Pause between one client's writes: about 4 × (1000 / 150) ≈ 25 writes a second in all, when nothing waits. */
const WRITE_EVERY_MS = 150

let cluster: LocalCluster
const kits: Kit[] = []
const held: Subscription[] = []

/** Every HTTP request the clients made under load that failed: a 5xx answer, or none at all. */
const failedRequests: string[] = []
/** Whether the load runs, and failed requests count. */
let watching = false
const realFetch = globalThis.fetch

before(async () => {
  cluster = await startLocalCluster({ env: testEnv({ RTKIT_REDIS_URL: '', RTKIT_ROLE: '', RTKIT_LOG_LEVEL: 'error' }), nodes: 2 })
  // The kits' HTTP gateway calls the global fetch: the real one, watched.
  globalThis.fetch = async (input, init) => {
    const what = `${init?.method ?? 'GET'} ${String(input).replace(cluster.apiUrl, '')}`
    try {
      const response = await realFetch(input, init)
      if (watching && response.status >= 500) failedRequests.push(`${what}: ${response.status}`)
      return response
    } catch (error) {
      if (watching) failedRequests.push(`${what}: ${(error as Error).name}: ${(error as Error).message}`)
      throw error
    }
  }
})
after(async () => {
  globalThis.fetch = realFetch
  for (const subscription of held) subscription.unsubscribe()
  await Promise.all(kits.map((kit) => kit.dispose()))
  await cluster?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

/** One client: a signed-in kit behind the balancer, what it shows, and what it told its user. */
interface Client {
  readonly name: string
  readonly kit: Kit
  /** The board as its live query shows it now. */
  view: readonly LiveDoc<TaskFields>[]
  /** When each task first showed in its view. */
  readonly firstSeen: Map<string, number>
  /** Every connection status it went through, with when. */
  readonly statuses: Array<{ status: ConnectionStatus; at: number }>
  /** Every error it put in `errors$` (what a page shows its user). */
  readonly errors: KitError[]
}

async function client(username: 'alice' | 'bob', board: string): Promise<Client> {
  const kit = createKit({ apiUrl: cluster.apiUrl, realtimeUrl: cluster.realtimeUrl, storage: new MemoryStorage() })
  kits.push(kit)
  await kit.login(username, DEMO_PASSWORD)
  const watcher: Client = { name: `${username}-${kits.length}`, kit, view: [], firstSeen: new Map(), statuses: [], errors: [] }
  held.push(
    kit.connection$.subscribe((status) => watcher.statuses.push({ status, at: performance.now() })),
    kit.errors$.subscribe((errors) => {
      for (const error of errors) if (!watcher.errors.some((known) => known.id === error.id)) watcher.errors.push(error)
    }),
    tasksOf(kit)
      .tasks$(board)
      .subscribe((tasks) => {
        watcher.view = tasks
        const now = performance.now()
        for (const task of tasks) if (!task.pending && !watcher.firstSeen.has(task.id)) watcher.firstSeen.set(task.id, now)
      }),
  )
  await until(() => watcher.statuses.at(-1)?.status === 'open', 10_000, `${watcher.name}'s realtime connection`)
  return watcher
}

/** What the clients were told: each task's confirmed insert, and its confirmed renames. */
interface Written {
  readonly id: string
  readonly by: string
  /** When the insert was confirmed. */
  confirmedAt: number
  /** The title of its last confirmed write. */
  title: string
  /** 1 for the insert, plus one per confirmed rename. */
  version: number
}

/** Each client adds a task, then renames it, every {@link WRITE_EVERY_MS}, until `running()` is false. */
async function write(writer: Client, board: string, running: () => boolean, written: Map<string, Written>, rejected: string[]) {
  const pending: number[] = []
  for (let n = 0; running(); n++) {
    const issuedAt = performance.now()
    const added = tasksOf(writer.kit).addTask({ board, title: `${writer.name} ${n}` })
    const outcome = await added.settled
    pending.push(performance.now() - issuedAt)
    if (outcome.status !== 'confirmed') {
      rejected.push(`${writer.name} add ${n}: ${outcome.error.code}`)
      continue
    }
    const task: Written = { id: added.docId, by: writer.name, confirmedAt: performance.now(), title: `${writer.name} ${n}`, version: 1 }
    written.set(task.id, task)
    const renamed = tasksOf(writer.kit).renameTask(task.id, `${writer.name} ${n} renamed`)
    const second = await renamed.settled
    if (second.status === 'confirmed') {
      task.title = `${writer.name} ${n} renamed`
      task.version = second.version
    } else rejected.push(`${writer.name} rename ${n}: ${second.error.code}`)
    await sleep(WRITE_EVERY_MS)
  }
  return pending
}

/**
 * A write that is under way when its node gets SIGTERM: a plain HTTP client
 * (no kit, no retries) posts a task straight to `apiUrl`, its body in two
 * halves `apartMs` apart, the first once the server has read the headers.
 * `underWay` resolves then; `answered` with the status (0: no answer).
 */
function slowWrite(
  apiUrl: string,
  token: string,
  task: Record<string, unknown>,
  apartMs: number,
): { underWay: Promise<void>; answered: Promise<number> } {
  const body = Buffer.from(JSON.stringify(task))
  const half = Math.floor(body.length / 2)
  let markUnderWay!: () => void
  const underWay = new Promise<void>((resolve) => (markUnderWay = resolve))
  const answered = new Promise<number>((resolve) => {
    const outgoing = request(
      `${apiUrl}/collections/tasks`,
      {
        method: 'POST',
        // The server's `100 Continue` says it has read the headers: the request is under way there.
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': body.length,
          expect: '100-continue',
        },
        timeout: 20_000,
      },
      (response) => {
        response.resume()
        response.once('end', () => resolve(response.statusCode ?? 0))
      },
    )
    outgoing.once('error', () => (markUnderWay(), resolve(0)))
    outgoing.once('timeout', () => outgoing.destroy())
    outgoing.once('continue', () => {
      outgoing.write(body.subarray(0, half))
      markUnderWay()
      setTimeout(() => outgoing.end(body.subarray(half)), apartMs)
    })
    outgoing.flushHeaders()
  })
  return { underWay, answered }
}

/** The longest time a client's realtime connection was not open, once it had been. */
function longestOutage(watcher: Client): number {
  let longest = 0
  let downSince: number | undefined
  for (const { status, at } of watcher.statuses) {
    if (status !== 'open' && downSince === undefined) downSince = at
    if (status === 'open' && downSince !== undefined) {
      longest = Math.max(longest, at - downSince)
      downSince = undefined
    }
  }
  return longest
}

describe('a rolling restart of the cluster', () => {
  // Under two minutes: about 30 s here on a quiet machine, 80 s under heavy load (most of it starting node processes).
  it(
    'restarts every node under load: no acknowledged write lost or applied twice, every view converges, no client shows an error',
    { timeout: 120_000 },
    async (t: TestContext) => {
      const board = `rolling-${randomUUID().slice(0, 8)}`
      const clients: Client[] = []
      for (let i = 0; i < WRITERS; i++) clients.push(await client(i % 2 === 0 ? 'alice' : 'bob', board))

      const written = new Map<string, Written>()
      const rejected: string[] = []
      let running = true
      watching = true
      const writers = clients.map((writer) => write(writer, board, () => running, written, rejected))
      const login = await realFetch(`${cluster.apiUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: DEMO_PASSWORD }),
      })
      const { token, user } = (await login.json()) as Session
      await sleep(1_500)
      const restarts: string[] = []
      for (let index = 0; index < cluster.nodes.length; index++) {
        const node = cluster.nodes[index]!
        // Under way on this very node when it is told to stop.
        const slow = { id: randomUUID(), board, title: `slow upload to ${node.name}`, status: 'todo', order: 1 }
        const { underWay, answered } = slowWrite(node.apiUrl, token, slow, 1_000)
        await underWay
        const startedAt = performance.now()
        const exit = await cluster.restartNode(index)
        restarts.push(`${node.name} exited ${exit}, back in ${Math.round(performance.now() - startedAt)} ms`)
        assert.equal(exit, 0, `${node.name} stopped cleanly:\n${node.output()}`)
        assert.equal(await answered, 201, `the request under way on ${node.name} when it got SIGTERM was answered`)
        written.set(slow.id, { id: slow.id, by: user.id, confirmedAt: performance.now(), title: slow.title, version: 1 })
        await sleep(1_000)
      }
      await sleep(1_000)
      running = false
      const pendingTimes = (await Promise.all(writers)).flat()
      watching = false
      t.diagnostic(restarts.join('; '))
      // A client's own timeout (AbortError) on a machine this loaded is no fault of the cluster; anything else is.
      const timedOut = failedRequests.filter((failure) => failure.includes('AbortError'))
      t.diagnostic(`requests the clients gave up waiting for: ${timedOut.length}`)
      assert.deepEqual(
        failedRequests.filter((failure) => !timedOut.includes(failure)),
        [],
        'no request was refused (5xx) or cut off (no answer) by the balancer or a stopping node',
      )

      // The database against what the clients were told.
      const { database } = loadConfig(cluster.nodeEnv)
      const conn = await r.connect(connectOptions(database))
      const stored = new Map<string, { title: string; version: number }>()
      try {
        const rows = (await (await r.db(database.db).table('tasks').filter({ board }).run(conn)).toArray()) as Array<{
          id: string
          title: string
          version: number
        }>
        for (const row of rows) stored.set(row.id, { title: row.title, version: row.version })
      } finally {
        await conn.close()
      }
      t.diagnostic(`${written.size} tasks written and renamed by ${WRITERS} clients through ${cluster.nodes.length} restarts`)
      assert.deepEqual(rejected, [], 'no command was rejected')
      assert.ok(written.size >= WRITERS * 4, `a steady load ran (${written.size} tasks)`)
      for (const task of written.values()) {
        const row = stored.get(task.id)
        assert.ok(row, `the acknowledged task ${task.title} (${task.id}) is in the database`)
        // A second application of the rename would show as one version more.
        assert.deepEqual(row, { title: task.title, version: task.version }, `${task.id} holds its last acknowledged write, applied once`)
      }
      assert.deepEqual([...stored.keys()].sort(), [...written.keys()].sort(), 'the database holds exactly the acknowledged tasks')

      // Every client's view converges on the database.
      const matches = (watcher: Client) =>
        watcher.view.length === stored.size && watcher.view.every((task) => !task.pending && stored.get(task.id)?.version === task.version)
      await until(() => clients.every(matches), 15_000, 'every view to show the database')

      for (const watcher of clients) {
        assert.deepEqual(
          watcher.errors.map((error) => `${error.code}: ${error.message}`),
          [],
          `${watcher.name} showed its user no error`,
        )
      }

      // The longest gaps, as figures: a realtime outage, a write's arrival at another client, a command's wait.
      const outages = clients.map(longestOutage)
      let staleness = 0
      for (const watcher of clients) {
        for (const task of written.values()) {
          if (task.by === watcher.name) continue
          const seen = watcher.firstSeen.get(task.id)
          if (seen !== undefined) staleness = Math.max(staleness, seen - task.confirmedAt)
        }
      }
      const count = (status: ConnectionStatus) => clients.map((watcher) => watcher.statuses.filter((seen) => seen.status === status).length)
      const reconnects = count('reconnecting')
      // "Offline" shows when a reconnect attempt fails (the balancer had no node for it in time): a figure, since it depends on timing.
      t.diagnostic(`times a client showed "offline": ${count('offline').join(', ')}`)
      t.diagnostic(
        `longest gap: realtime connection not open ${Math.round(Math.max(...outages))} ms (per client ${outages.map(Math.round).join(', ')}; ` +
          `reconnects ${reconnects.join(', ')}), a confirmed write reaching another client ${Math.round(staleness)} ms, ` +
          `a command from issue to confirmation ${Math.round(Math.max(...pendingTimes))} ms`,
      )
    },
  )
})
