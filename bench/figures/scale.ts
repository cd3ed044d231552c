import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { cpus, loadavg } from 'node:os'
import { DeepstreamClient } from '@deepstream/client'
import type { JwtConfig } from '../../server/config.ts'
import { issueToken } from '../../server/lib/tokens.ts'
import { cpuReading, cpuShares, type CpuShares } from '../machine-cpu.ts'
import { startPlainDeepstream } from '../plain-deepstream.ts'
import type { ScalePoint } from '../results.ts'
import { round, summarize, type Figure } from '../stats.ts'

/** The steps of the curve; `SCALE_STEPS=1000,5000` runs fewer. */
const STEPS = (process.env.SCALE_STEPS ?? '1000,5000,10000,18000').split(',').map(Number)
const PARTITIONS = 100
/**
 * Accounts the sockets sign in as, each socket with its own token (its own
 * session). Not one account per socket: the embedded database answers the
 * sign-in's account lookup (`getAll` on a secondary index) by scanning the
 * users table, so 18,000 accounts would make sign-in the bottleneck, which
 * a real RethinkDB (indexed) and a deepstream-only node (no lookup) are not.
 */
const ACCOUNTS = 200
/** Sockets per client process: each process may open 20,000 files here, and one core must keep up with its share. */
const PER_PROCESS = 3_600
/** Seconds of writes measured at each step (after a 2 s warm-up). */
const WINDOW_SECONDS = Number(process.env.SCALE_WINDOW ?? 15)
const GROUP = '9 scale'
const SOCKET_KB_BAR = 20
const P99_BAR_RATIO = 4
const now = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Memory {
  heapUsed: number
  external: number
  rss: number
  fds: number
}
interface Sample {
  cpu: NodeJS.CpuUsage
  loopP99: number
  loopMax: number
  /** The main thread's GC pauses since the previous sample. */
  gc: { count: number; totalMs: number; maxMs: number }
}
interface Opened {
  held: number
  dropped: number
  failures: Record<string, number>
  /** Why attempts failed that a later attempt of the same socket made good. */
  retried: Record<string, number>
}
interface Report {
  held: number
  dropped: number
  drops: Record<string, number>
  received: number
  latencies: number[]
  arrivals: Array<[number, [number, number]]>
}

/** The next IPC message of type `type` from `child`, waiting at most `timeoutMs`. */
export function replyFrom<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => (child.off('message', onMessage), reject(new Error(`no ${type} within ${timeoutMs / 1000} s`))),
      timeoutMs,
    )
    const onMessage = (answer: { type: string }) => {
      if (answer.type !== type) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(answer as T)
    }
    child.on('message', onMessage)
  })
}

/** Sends `message` to `child` and waits (bounded) for its answer of type `reply`. */
function ask<T>(child: ChildProcess, message: object, reply: string, timeoutMs: number): Promise<T> {
  const answer = replyFrom<T>(child, reply, timeoutMs)
  child.send(message)
  return answer
}

function forkReady<T>(path: string, execArgv: string[]): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(new URL(path, import.meta.url).pathname, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error(`${path} not ready within 60 s`))), 60_000)
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${path} exited with ${code} before it was ready`))))
    child.once('message', (ready: T) => {
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ child, ready })
    })
  })
}

/** How the client processes were scheduled: `default` when `chrt` could not make them `SCHED_BATCH`. */
let clientPolicy: 'batch' | 'default' = 'batch'

/**
 * A client process, run as `SCHED_BATCH`: on this machine the thousands of
 * sockets' receivers share two cores with the node they measure, and under
 * the default policy each socket write of a fan-out wakes a receiver that
 * preempts the node in the middle of it, so one event's fan-out to 180
 * sockets took several times the node's own CPU for it, and the node fell
 * behind. `SCHED_BATCH` keeps the receivers' share of the CPU (same nice
 * value) but does not let their wake-ups preempt, as receivers on other
 * machines would not. Without `chrt` (util-linux) they run as they are, and
 * the step says so.
 */
async function startClients(): Promise<ChildProcess> {
  const { child } = await forkReady<unknown>('../clients/scale-sockets.ts', ['--import', 'tsx'])
  try {
    execFileSync('chrt', ['--all-tasks', '--batch', '--pid', '0', String(child.pid)], { stdio: 'ignore' })
  } catch {
    clientPolicy = 'default'
  }
  return child
}

/** Stops a child: asks it to close, then kills it if it has not gone within 10 s. */
async function stop(child: ChildProcess, message: object): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const gone = new Promise((resolve) => child.once('exit', resolve))
  child.send(message)
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await gone
  clearTimeout(timer)
}

/**
 * One PATCH to each of the 100 partitions' documents per second, spread
 * evenly over the second, through the real API (the handler, the database,
 * its changefeed, the bridge, deepstream). Each title carries its send time.
 * A partition whose last write has not been answered is skipped that tick
 * (counted), so a slow server is never buried under a growing queue.
 */
class Writer {
  readonly #versions: number[]
  #running = false
  #loop: Promise<void> | undefined
  sent = 0
  skipped = 0
  failed = 0
  /** How long each write took to be answered, ms. */
  answered: number[] = []

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
    private readonly ids: string[],
    versions: number[],
  ) {
    this.#versions = versions
  }

  start(): void {
    this.#running = true
    this.#loop = this.#run()
  }

  async stop(): Promise<void> {
    this.#running = false
    await this.#loop
  }

  async #run(): Promise<void> {
    const inFlight = new Set<number>()
    const pending = new Set<Promise<void>>()
    const started = now()
    for (let tick = 0; this.#running; tick++) {
      const k = tick % PARTITIONS
      if (inFlight.has(k)) this.skipped++
      else {
        inFlight.add(k)
        this.sent++
        const write = this.#write(k).finally(() => (inFlight.delete(k), pending.delete(write)))
        pending.add(write)
      }
      const wait = started + (tick + 1) * (1000 / PARTITIONS) - now()
      if (wait > 0) await sleep(wait)
    }
    await Promise.all(pending)
  }

  async #write(k: number): Promise<void> {
    const sent = now()
    try {
      const response = await patch(
        `${this.apiUrl}/collections/tasks/${this.ids[k]}`,
        this.token,
        JSON.stringify({ expectedVersion: this.#versions[k], title: `scale ${now()}` }),
      )
      const body = JSON.parse(response.body) as { version?: number; details?: { current?: { version: number } } }
      this.answered.push(now() - sent)
      if (response.status === 200 && body.version) this.#versions[k] = body.version
      else {
        this.failed++
        if (body.details?.current) this.#versions[k] = body.details.current.version
      }
    } catch {
      this.failed++
    }
  }
}

/** Kept-alive connections for the writer: the load it puts on the shared machine is not the node's. */
const agent = new Agent({ keepAlive: true, maxSockets: PARTITIONS })

/**
 * One PATCH with `node:http` rather than `fetch`: the writer runs on the same
 * two cores as the node it measures, and `fetch` costs it several times the
 * CPU per request (about a fifth of a core at 100 writes a second).
 */
function patch(url: string, token: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PATCH',
        agent,
        timeout: 10_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end(body)
  })
}

/** The 100 partitions' documents, created once; the writer then updates them, so the database does not grow. */
async function createDocuments(apiUrl: string, token: string): Promise<{ ids: string[]; versions: number[] }> {
  const ids: string[] = []
  const versions: number[] = []
  for (let k = 0; k < PARTITIONS; k++) {
    const id = randomUUID()
    const response = await fetch(`${apiUrl}/collections/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ id, board: `scale-${k}`, title: 'scale 0', status: 'todo', order: k }),
      signal: AbortSignal.timeout(10_000),
    })
    if (response.status !== 201 && response.status !== 200) throw new Error(`creating scale-${k}'s document answered ${response.status}`)
    ids.push(id)
    versions.push(((await response.json()) as { version: number }).version)
  }
  return { ids, versions }
}

/**
 * `baseline.deepstream` measured beside the scale figure when it runs alone:
 * a plain deepstream node, 49 sockets of the same raw client in one process
 * on one topic, one `@deepstream/client` emitting 30 task-sized events; the
 * time from emit to each arrival.
 */
async function plainBaseline(): Promise<{ median: number; p99: number; samples: number }> {
  const plain = await startPlainDeepstream()
  const clients = await startClients()
  const emitter = new DeepstreamClient(plain.url, { maxReconnectAttempts: 0 })
  try {
    const sockets = Array.from({ length: 49 }, () => ({ token: 'plain', topic: 'latency/plain' }))
    const opened = await ask<Opened>(clients, { type: 'open', url: plain.url, sockets }, 'opened', 60_000)
    if (opened.held !== 49) throw new Error(`plain deepstream held ${opened.held} of 49: ${JSON.stringify(opened.failures)}`)
    await new Promise<void>((resolve, reject) => emitter.login({}, (ok) => (ok ? resolve() : reject(new Error('plain login refused')))))
    await ask(clients, { type: 'window' }, 'windowed', 10_000)
    for (let i = 0; i < 30; i++) {
      emitter.event.emit('latency/plain', {
        op: 'upsert',
        version: i + 1,
        doc: { id: randomUUID(), board: 'plain', title: `scale ${now()}`, status: 'todo', order: i },
      })
      await sleep(100)
    }
    await sleep(500)
    const report = await ask<Report>(clients, { type: 'report' }, 'report', 30_000)
    return summarize(report.latencies)
  } finally {
    emitter.close()
    await stop(clients, { type: 'close' })
    await plain.close()
  }
}

/**
 * Figure 9, `scale`: one realtime node (the whole stack in its own process,
 * bench/scale-node.ts) holding N authenticated sockets, N = 1,000, 5,000,
 * 10,000 and 18,000, from client processes of 3,600 sockets each
 * (bench/clients/scale-sockets.ts). Each socket signs in with its own token
 * (one of 200 accounts, see {@link ACCOUNTS}) and subscribes to one of 100 partition topics
 * `tasks/scale-<k>`; one write per partition per second goes through the
 * API, so each socket receives about one event a second. Per step:
 *
 * - `scale.sockets`: sockets held (signed in and subscribed);
 * - `scale.socketKB`: the node's heap used + external after two forced GCs,
 *   minus the same with no client socket, per socket held;
 * - `scale.p99`: write sent → event received, p99 over 15 s of writes;
 * - the node's CPU over the window (percent of one core), its event-loop
 *   delay, RSS and open files.
 *
 * After the curve, `scale.plainP99` (context): the largest step's load on a
 * plain deepstream node ({@link plainScale}).
 *
 * The ids name the largest step; the curve is in `points`. The p99 bar is
 * 4 × `baseline.deepstream` p99 of the same run: from `previous` when the
 * realtime section ran before, else measured here. A step that cannot hold
 * its N ends the curve, and the figure says what ran out.
 */
export async function scale(previous: readonly Figure[]): Promise<{ figures: Figure[]; points: ScalePoint[] }> {
  const figures: Figure[] = []
  const points: ScalePoint[] = []
  let baseline = previous.find((f) => f.id === 'baseline.deepstream')
  if (!baseline?.p99) {
    const measured = await plainBaseline()
    baseline = {
      id: 'baseline.deepstream',
      group: GROUP,
      name: 'baseline: plain deepstream event, 1 client → 49 raw sockets (measured beside scale)',
      value: round(measured.median),
      p99: round(measured.p99),
      unit: 'ms',
      bar: 'baseline',
      samples: measured.samples,
    }
    figures.push(baseline)
  }
  const p99Limit = P99_BAR_RATIO * baseline.p99!

  const { child: node, ready } = await forkReady<{ apiUrl: string; realtimeUrl: string; jwt: JwtConfig }>('../scale-node.ts', [
    '--expose-gc',
    '--import',
    'tsx',
  ])
  const clients: ChildProcess[] = []
  let writer: Writer | undefined
  try {
    const maxN = Math.max(...STEPS)
    const users = await ask<{ error?: string }>(node, { type: 'users', count: ACCOUNTS + 1 }, 'users', 120_000)
    if (users.error) throw new Error(`inserting the accounts: ${users.error}`)
    const token = (i: number) => {
      const a = i % ACCOUNTS
      return issueToken({ id: `scale-user-${a}`, username: `scale-${a}`, name: `Scale ${a}` }, 'user', ready.jwt).token
    }
    const writerToken = issueToken(
      { id: `scale-user-${ACCOUNTS}`, username: `scale-${ACCOUNTS}`, name: 'Scale writer' },
      'user',
      ready.jwt,
    ).token
    const { ids, versions } = await createDocuments(ready.apiUrl, writerToken)
    writer = new Writer(ready.apiUrl, writerToken, ids, versions)
    // Warm the write path up with no client socket, then the memory every step is compared with.
    writer.start()
    await sleep(3_000)
    await writer.stop()
    await sleep(1_000)
    const idle = await ask<Memory>(node, { type: 'measure' }, 'measure', 30_000)
    // pidusage runs `getconf` on its first call: not inside a window.
    await cpuReading({ writer: process.pid })
    const idleBytes = idle.heapUsed + idle.external

    let opened = 0
    for (const n of STEPS) {
      const openStarted = now()
      const answers = await openSockets(clients, opened, n, token, ready.realtimeUrl)
      const openSeconds = (now() - openStarted) / 1000
      opened = n
      const failures = tally(answers.map((answer) => answer.failures))
      const retried = tally(answers.map((answer) => answer.retried))
      await sleep(1_000)
      const memory = await ask<Memory>(node, { type: 'measure' }, 'measure', 30_000)
      // Held now, after the measure: a socket dropped since it subscribed is not held.
      const heldBefore = (await Promise.all(clients.map((c) => ask<Report>(c, { type: 'report' }, 'report', 30_000)))).reduce(
        (sum, r) => sum + r.held,
        0,
      )
      const socketKB = (memory.heapUsed + memory.external - idleBytes) / heldBefore / 1024

      await Promise.all(clients.map((c) => ask(c, { type: 'window' }, 'windowed', 30_000)))
      writer.sent = writer.skipped = writer.failed = 0
      writer.answered = []
      writer.start()
      await sleep(2_000)
      await Promise.all(clients.map((c) => ask(c, { type: 'window' }, 'windowed', 30_000)))
      const sentBefore = writer.sent
      // The node's own CPU comes from its samples; these are the rest of the machine.
      const pids = { receivers: clients.map((c) => c.pid), writer: process.pid }
      const start = await ask<Sample>(node, { type: 'sample' }, 'sample', 30_000)
      const cpuBefore = await cpuReading(pids)
      const windowStarted = now()
      await sleep(WINDOW_SECONDS * 1000)
      const cpuAfter = await cpuReading(pids)
      const end = await ask<Sample>(node, { type: 'sample' }, 'sample', 30_000)
      const windowMs = now() - windowStarted
      const machine = cpuBefore && cpuAfter ? cpuShares(cpuBefore, cpuAfter) : undefined
      const sentInWindow = writer.sent - sentBefore
      await writer.stop()
      // Let the last events arrive.
      await sleep(2_000)
      const reports = await Promise.all(clients.map((c) => ask<Report>(c, { type: 'report' }, 'report', 60_000)))
      const held = reports.reduce((sum, r) => sum + r.held, 0)
      const dropped = reports.reduce((sum, r) => sum + r.dropped, 0)
      const received = reports.reduce((sum, r) => sum + r.received, 0)
      const { latency, firstArrival, spread } = arrivals(reports)
      for (const report of reports)
        for (const [reason, count] of Object.entries(report.drops)) failures[reason] = (failures[reason] ?? 0) + count
      const cpuMs = (end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system) / 1000
      const cpu = (100 * cpuMs) / windowMs
      const point: ScalePoint = {
        sockets: held,
        socketKB: round(socketKB, 1),
        p99: round(latency.p99, 1),
        cpu: round(cpu, 0),
        ...(machine ? { machineIdle: round(machine.idle, 0) } : {}),
      }
      points.push(point)
      const failed = words(failures)
      const again = words(retried)
      const detail =
        `${held} of ${n} held${failed ? ` (${failed})` : ''}${dropped ? `, ${dropped} dropped` : ''}; opened in ${round(openSeconds, 1)} s` +
        `${again ? ` (attempts tried again: ${again})` : ''}; ` +
        `${sentInWindow} writes in ${round(windowMs / 1000, 1)} s (${writer.skipped} skipped while the last was unanswered, ${writer.failed} failed; answered in p50 ${round(summarize(writer.answered).median, 1)} ms, p99 ${round(summarize(writer.answered).p99, 1)}), ` +
        `${received} events received; p50 ${round(latency.median, 1)} ms; write → first socket p50 ${round(firstArrival.median, 1)} ms, p99 ${round(firstArrival.p99, 1)}; first → last socket of one event p50 ${round(spread.median, 1)} ms, p99 ${round(spread.p99, 1)}; server CPU ${round(cpu, 0)}% of one core${machineWords(machine, clients.length)}${clientPolicy === 'batch' ? '' : ' (the client processes at the default scheduling policy: chrt failed)'}, ` +
        `event loop p99 ${round(end.loopP99, 1)} ms (max ${round(end.loopMax, 0)}), ` +
        `${end.gc.count} GC pauses (${round(end.gc.totalMs, 0)} ms in all, the longest ${round(end.gc.maxMs, 1)} ms), heap ${round(memory.heapUsed / 2 ** 20, 0)} MB + external ${round(memory.external / 2 ** 20, 0)} MB, ` +
        `RSS ${round(memory.rss / 2 ** 20, 0)} MB (${round((memory.rss - idle.rss) / held / 1024, 1)} KB per socket), ${memory.fds} open files`
      process.stderr.write(`bench: scale ${n}: ${detail}\n`)
      figures.push({
        id: n === maxN ? 'scale.detail' : `scale.detail.${n}`,
        group: GROUP,
        name: `${n} sockets: what the node did`,
        value: held,
        unit: 'sockets',
        bar: 'context',
        note: detail,
      })
      if (held < n) {
        figures.push(...stepFigures(point, n, p99Limit, baseline, latency.samples, runOut(held, n, failures, memory, end, cpu)))
        break
      }
      if (n === maxN) figures.push(...stepFigures(point, n, p99Limit, baseline, latency.samples, undefined))
    }
  } finally {
    await writer?.stop()
    await Promise.all(clients.map((c) => stop(c, { type: 'close' })))
    await stop(node, { type: 'stop' })
    agent.destroy()
  }
  const largest = points.at(-1)
  if (largest && largest.sockets === Math.max(...STEPS)) {
    try {
      const plain = await plainScale(largest.sockets, largest.p99, baseline)
      figures.push(plain)
      const p99 = figures.find((f) => f.id === 'scale.p99')
      if (p99)
        p99.note = `${p99.note}; plain deepstream under the same load (scale.plainP99): p99 ${plain.value} ms, ${round(plain.value / baseline.p99!, 2)}× baseline.deepstream p99`
    } catch (error) {
      figures.push({
        id: 'scale.plainP99',
        group: GROUP,
        name: 'the same load on plain deepstream',
        value: Number.NaN,
        unit: 'ms',
        bar: 'context',
        note: `not measured: ${String(error)}`,
      })
    }
  }
  return { figures, points }
}

/**
 * Context for `scale.p99`: the largest step's load on a plain deepstream node
 * (bench/plain-deepstream-node.ts, a process of its own), with the same
 * client processes, sockets and topics, and 100 events a second, one per
 * topic, that a `@deepstream/client` in this process emits straight into it:
 * no API, database or bridge, and deepstream's own fan-out loop. It says how
 * much of the step's p99 any deepstream node pays on this machine for
 * fanning each event out to N/100 sockets, a width `baseline.deepstream`
 * (49 sockets) does not reach. Not a bar.
 */
async function plainScale(n: number, rtkitP99: number, baseline: Figure): Promise<Figure> {
  const { child: plain, ready } = await forkReady<{ url: string }>('../plain-deepstream-node.ts', ['--import', 'tsx'])
  const clients: ChildProcess[] = []
  let emitter: DeepstreamClient | undefined
  let emitting = false
  let emits: Promise<void> | undefined
  try {
    const answers = await openSockets(clients, 0, n, () => 'plain', ready.url)
    const opened = answers.reduce((sum, answer) => sum + answer.held, 0)
    if (opened < n) throw new Error(`plain deepstream held ${opened} of ${n}: ${words(tally(answers.map((a) => a.failures)))}`)
    // Connected only now: deepstream closes a socket not signed in within 10 s, and opening 18,000 takes about that.
    const client = (emitter = new DeepstreamClient(ready.url, { maxReconnectAttempts: 0 }))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('plain login not answered within 30 s')), 30_000)
      client.login({}, (ok) => (clearTimeout(timer), ok ? resolve() : reject(new Error('plain login refused'))))
    })
    emitting = true
    emits = (async () => {
      const started = now()
      for (let tick = 0; emitting; tick++) {
        const k = tick % PARTITIONS
        client.event.emit(`tasks/scale-${k}`, {
          op: 'upsert',
          version: tick + 1,
          doc: { id: `plain-${k}`, board: 'plain', title: `scale ${now()}`, status: 'todo', order: k },
        })
        const wait = started + (tick + 1) * (1000 / PARTITIONS) - now()
        if (wait > 0) await sleep(wait)
      }
    })()
    await sleep(2_000)
    await Promise.all(clients.map((c) => ask(c, { type: 'window' }, 'windowed', 30_000)))
    const pids = { node: plain.pid, receivers: clients.map((c) => c.pid), writer: process.pid }
    const before = await cpuReading(pids)
    await sleep(WINDOW_SECONDS * 1000)
    const after = await cpuReading(pids)
    emitting = false
    await emits
    await sleep(2_000)
    const reports = await Promise.all(clients.map((c) => ask<Report>(c, { type: 'report' }, 'report', 60_000)))
    const { latency, firstArrival: first, spread } = arrivals(reports)
    const machine = before && after ? cpuShares(before, after) : undefined
    const cpuWords = machine
      ? `; the plain node ${round(machine.processes.node ?? 0, 0)}% of one core${machineWords(machine, clients.length)}`
      : ''
    const figure: Figure = {
      id: 'scale.plainP99',
      group: GROUP,
      name: `emit → receive p99 at ${n} sockets on plain deepstream (the same clients and topics, no API or database)`,
      value: round(latency.p99, 1),
      unit: 'ms',
      bar: 'context',
      samples: latency.samples,
      note:
        `${round(latency.p99 / baseline.p99!, 2)}× baseline.deepstream p99 (rtkit's step: ${round(rtkitP99 / baseline.p99!, 2)}×); ` +
        `p50 ${round(latency.median, 1)} ms; emit → first socket p50 ${round(first.median, 1)} ms, p99 ${round(first.p99, 1)}; ` +
        `first → last socket of one event p50 ${round(spread.median, 1)} ms, p99 ${round(spread.p99, 1)}${cpuWords}`,
    }
    process.stderr.write(`bench: scale ${n} on plain deepstream: p99 ${figure.value} ms; ${figure.note}\n`)
    return figure
  } finally {
    emitting = false
    await emits
    emitter?.close()
    await Promise.all(clients.map((c) => stop(c, { type: 'close' })))
    await stop(plain, { type: 'stop' })
  }
}

/**
 * Opens sockets [from, to) in the client processes that hold them (index /
 * PER_PROCESS), starting the processes missing from `clients`, each socket
 * signed in with `token(index)` and subscribed to `tasks/scale-<index % 100>`.
 */
async function openSockets(
  clients: ChildProcess[],
  from: number,
  to: number,
  token: (index: number) => string,
  url: string,
): Promise<Opened[]> {
  const shares = new Map<number, Array<{ token: string; topic: string }>>()
  for (let i = from; i < to; i++) {
    const p = Math.floor(i / PER_PROCESS)
    if (!shares.has(p)) shares.set(p, [])
    shares.get(p)!.push({ token: token(i), topic: `tasks/scale-${i % PARTITIONS}` })
  }
  for (const p of shares.keys()) while (clients.length <= p) clients.push(await startClients())
  return Promise.all(
    [...shares].map(([p, sockets]) =>
      // 100 ms a socket beyond a minute: 25 sign-ins a second still fit, as on a loaded machine.
      ask<Opened>(clients[p]!, { type: 'open', url, sockets }, 'opened', 60_000 + 100 * sockets.length),
    ),
  )
}

/**
 * What the client processes received in a window: every arrival's latency
 * and, per event (over every process), first − sent, the write path, and
 * last − first, what fanning it out to its ~N/100 sockets took.
 */
function arrivals(reports: readonly Report[]) {
  const events = new Map<number, [number, number]>()
  for (const report of reports)
    for (const [sent, [first, last]] of report.arrivals) {
      const seen = events.get(sent)
      events.set(sent, seen ? [Math.min(seen[0], first), Math.max(seen[1], last)] : [first, last])
    }
  return {
    latency: summarize(reports.flatMap((r) => r.latencies)),
    firstArrival: summarize([...events].map(([sent, [first]]) => first - sent)),
    spread: summarize([...events.values()].map(([first, last]) => last - first)),
  }
}

/** Counts by reason, summed over the client processes. */
function tally(counts: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {}
  for (const each of counts) for (const [reason, count] of Object.entries(each)) sum[reason] = (sum[reason] ?? 0) + count
  return sum
}

const words = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ')

/**
 * The window's CPU beside the node's: the receiving processes', the
 * figure's own (its writer), and what the machine had left, so that a step
 * measured on a saturated machine shows it next to its latency.
 */
function machineWords(machine: CpuShares | undefined, receivers: number): string {
  if (!machine) return ''
  const { receivers: received = 0, writer = 0 } = machine.processes
  const theirs = receivers === 1 ? 'its receiving process' : `its ${receivers} receiving processes`
  return ` (${theirs} ${round(received, 0)}%${receivers === 1 ? '' : ' together'}, the writer's process ${round(writer, 0)}%; the machine ${round(machine.idle, 0)}% idle)`
}

/** Which resource the step ran out of, from what the node and the clients saw. */
function runOut(held: number, n: number, failures: Record<string, number>, memory: Memory, loop: Sample, cpu: number): string {
  const reasons = Object.keys(failures).join(', ')
  const signs = [
    ...(memory.fds > 19_000 ? [`file descriptors (${memory.fds} open of 20,000)`] : []),
    ...(/EMFILE|ENFILE/.test(reasons) ? ['file descriptors (EMFILE)'] : []),
    ...(cpu > 90 * Math.min(1, cpus().length) ? [`CPU (${round(cpu, 0)}% of one core)`] : []),
    ...(loop.loopP99 > 1_000 ? [`the event loop (p99 delay ${round(loop.loopP99, 0)} ms)`] : []),
    ...(/timed out/.test(reasons) ? ['sign-in or subscribe timed out'] : []),
    ...(/AUTHENTICATION_TIMEOUT/.test(reasons)
      ? [
          `time to sign in: the node did not answer within deepstream's 10 s unauthenticated-client timeout ` +
            `(node CPU ${round(cpu, 0)}% of one core, event loop p99 ${round(loop.loopP99, 0)} ms, machine load ${round(loadavg()[0]!, 1)})`,
        ]
      : []),
  ]
  return `held ${held} of ${n}; ran out of: ${signs.join('; ') || `unclear (${reasons || 'no failure reported'})`}`
}

function stepFigures(
  point: ScalePoint,
  n: number,
  p99Limit: number,
  baseline: Figure,
  samples: number,
  shortfall: string | undefined,
): Figure[] {
  return [
    {
      id: 'scale.sockets',
      group: GROUP,
      name: 'sockets one realtime node holds, signed in and subscribed',
      value: point.sockets,
      limit: 18_000,
      atLeast: true,
      unit: 'sockets',
      bar: '≥ 18000',
      meets: point.sockets >= 18_000,
      note: shortfall ?? `all ${n} held through the window`,
    },
    {
      id: 'scale.socketKB',
      group: GROUP,
      name: `server memory per socket at ${point.sockets} (heap used + external, after GC)`,
      value: point.socketKB,
      limit: SOCKET_KB_BAR,
      unit: 'KB',
      bar: `≤ ${SOCKET_KB_BAR}`,
      meets: point.socketKB <= SOCKET_KB_BAR,
    },
    {
      id: 'scale.p99',
      group: GROUP,
      name: `write → receive p99 at ${point.sockets} sockets, ~1 event/s each`,
      value: point.p99,
      baseline: baseline.p99,
      baselineId: 'baseline.deepstream',
      ratio: round(point.p99 / baseline.p99!),
      barRatio: P99_BAR_RATIO,
      limit: round(p99Limit, 1),
      unit: 'ms',
      bar: `≤ ${P99_BAR_RATIO} × baseline.deepstream p99 (${round(p99Limit, 1)})`,
      meets: point.p99 <= p99Limit,
      samples,
      note: `server CPU ${point.cpu}% of one core${point.machineIdle === undefined ? '' : `, the machine ${point.machineIdle}% idle`}`,
    },
  ]
}
