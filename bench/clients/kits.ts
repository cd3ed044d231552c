import { randomUUID } from 'node:crypto'
import { DeepstreamClient } from '@deepstream/client'
import { tasksOf, type Kit } from '../../services/index.ts'
import { signedInKit } from '../demo-sign-in.ts'

/**
 * A child process holding many clients, so that their work runs beside the
 * server being measured. It takes, in turn, one sample of each of:
 *
 * - realtime: one of CLIENTS kits (the services layer users run) adds a task
 *   through its command path; the time until each other kit's live query
 *   emits it;
 * - the bare HTTP POST baseline: the same client code (`fetch`) posting a
 *   task-sized JSON body to a bare Node HTTP server (BARE_URL);
 * - the plain deepstream baseline: one of CLIENTS plain deepstream clients
 *   on a plain deepstream server emits a task-sized event; the time until
 *   each other client receives it (the same fan-out as the kits');
 *
 * so that a burst of load on the machine hits all three alike. Also a
 * two-client deepstream hop, for context, and for each counted write the
 * kits' latencies in order of arrival (`perWrite`), which tell the write's
 * way to the first kit from its spread through the others. Results go back
 * over IPC.
 *
 * Without PLAIN_URL or BARE_URL, their baselines are skipped. `REALTIME_URLS`
 * (a comma list, for a cluster's nodes) spreads the kits over several
 * deepstream nodes in turn; `byUrl` then has each one's latencies.
 */
const apiUrl = process.env.API_URL as string
const realtimeUrls = (process.env.REALTIME_URLS ?? (process.env.REALTIME_URL as string)).split(',')
const plainUrl = process.env.PLAIN_URL as string
const bareUrl = process.env.BARE_URL as string
const clients = Number(process.env.CLIENTS)
const writes = Number(process.env.WRITES)
/**
 * Writes (each with its baseline samples) before the counted ones. The kits'
 * and the server's code for a write runs once per write, so V8 compiles it
 * over the first few dozen: from a fresh stack, the p50 of each block of ten
 * writes was 9.8, 11.0, 9.8, then 7.8, 6.9, 7.6, 6.5, 6.8 ms in one run and
 * 10.8, 9.0, 8.5, 8.0, then 6.9–8.2 in another. The plain clients and the
 * bare server run little code and are at speed at once. The figure is the
 * steady latency, so thirty writes come first.
 */
const WARMUP = 30
/** Off for the warm-up samples. */
let counting = false
const now = () => performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits for `arrived`, at most `ms`; the figure reports what was seen. */
const bounded = (arrived: Promise<void>, ms = 5_000) => Promise.race([arrived, sleep(ms)])

async function inBatches<T>(count: number, size: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const made: T[] = []
  for (let i = 0; i < count; i += size)
    made.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => make(i + j)))))
  return made
}

const urlOf = (index: number) => index % realtimeUrls.length

const signedIn = (index: number): Promise<Kit> =>
  signedInKit(apiUrl, realtimeUrls[urlOf(index)] as string, index % 2 === 0 ? 'alice' : 'bob')

async function plainClient(): Promise<DeepstreamClient> {
  // The kits' clients' timers (services/gateways/deepstream-gateway.ts): one
  // setTimeout per pending wait, not a 50 ms tick, which in this process would
  // add its garbage to every kit's collections as well as to the baseline's.
  const client = new DeepstreamClient(plainUrl, { maxReconnectAttempts: 0, nativeTimerRegistry: true })
  await new Promise<void>((resolve) => client.login({}, () => resolve()))
  return client
}

/** What a task insert looks like on the wire, for the baselines' payloads. */
function taskLike(i: number) {
  const at = new Date().toISOString()
  return {
    id: randomUUID(),
    board: 'latency',
    title: `write ${i}`,
    status: 'todo',
    order: i,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: randomUUID(),
  }
}

const titleOf = (data: unknown) => String((data as { doc?: { title?: string } } | null)?.doc?.title)

interface Waiting {
  started: number
  remaining: number
  /** This write's latencies in order of arrival, when it is counted and they are kept (`perWrite`). */
  inOrder: number[] | undefined
  done: () => void
}

/** Records, per title, the time each receiver first sees it; with `perWrite`, also each counted title's latencies in order of arrival. */
function arrivals(latencies: number[], perWrite?: number[][]) {
  const waiting = new Map<string, Waiting>()
  return {
    /** The titles writes are awaited for: one at a time, unless a write's deliveries timed out. */
    awaited(): Iterable<string> {
      return waiting.keys()
    },
    expect(title: string, receivers: number): Promise<void> {
      const inOrder = perWrite && counting ? [] : undefined
      if (inOrder) perWrite?.push(inOrder)
      return new Promise((done) => waiting.set(title, { started: now(), remaining: receivers, inOrder, done }))
    },
    seen(title: string, group?: number[]): void {
      const wait = waiting.get(title)
      if (!wait) return
      if (counting) {
        const latency = now() - wait.started
        latencies.push(latency)
        group?.push(latency)
        wait.inOrder?.push(latency)
      }
      if (--wait.remaining === 0) {
        waiting.delete(title)
        wait.done()
      }
    },
  }
}

// Four at a time: two sign-ins per user at once is what the sign-in throttle lets through.
const kits = await inBatches(clients, 4, signedIn)
const plain = plainUrl ? await inBatches(clients, 10, plainClient) : []
const board = `latency-${Date.now()}`
const realtime: number[] = []
const http: number[] = []
const deepstream: number[] = []
const hop: number[] = []
const perWrite: number[][] = []
const kitArrivals = arrivals(realtime, perWrite)
const plainArrivals = arrivals(deepstream)
const hopArrivals = arrivals(hop)
const byUrl: number[][] = realtimeUrls.map(() => [])

// An operator-declared collection instead of the tasks shortcut (figure realtime.custom): COLLECTION and PARTITION_KEY.
const custom = process.env.COLLECTION ? { name: process.env.COLLECTION, key: process.env.PARTITION_KEY ?? 'page' } : undefined
const view = (kit: Kit) =>
  custom
    ? kit
        .collection<{ title: string }>(custom.name)
        .where({ [custom.key]: board })
        .watch()
    : tasksOf(kit).tasks$(board)
const write = (kit: Kit, title: string) =>
  custom ? kit.collection(custom.name).insert({ [custom.key]: board, title }) : tasksOf(kit).addTask({ board, title })

const [writer, ...readers] = kits as [Kit, ...Kit[]]
const subscriptions = readers.map((kit, reader) => {
  const seen = new Set<string>()
  const group = byUrl[urlOf(reader + 1)]
  return view(kit).subscribe((tasks) => {
    // Only the awaited writes' titles, the newest task first: a look through the whole board on each
    // emission would be this process's work, not the kit's, and would delay the kits after this one as much.
    for (const title of kitArrivals.awaited()) {
      if (seen.has(title) || (tasks.at(-1)?.title !== title && !tasks.some((task) => task.title === title))) continue
      seen.add(title)
      kitArrivals.seen(title, group)
    }
  })
})
const writerView = view(writer).subscribe()
const [emitter, ...listeners] = plain
for (const listener of listeners) listener.event.subscribe('latency/plain', (data) => plainArrivals.seen(titleOf(data)))
const [hopFrom, hopTo] = [listeners[0], listeners[1]]
hopTo?.event.subscribe('latency/hop', (data) => hopArrivals.seen(titleOf(data)))
await sleep(1000) // every live query subscribed and loaded, every plain subscription made

for (let i = 0; i < WARMUP + writes; i++) {
  counting = i >= WARMUP
  const title = `write ${i}`
  const delivered = kitArrivals.expect(title, readers.length)
  write(writer, title)
  await bounded(delivered)
  await sleep(20)

  if (bareUrl) {
    const body = JSON.stringify(taskLike(i))
    const started = now()
    const response = await fetch(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    await response.text()
    if (counting) http.push(now() - started)
    await sleep(20)
  }
  if (!emitter || !hopFrom) continue

  const event = { op: 'upsert', doc: taskLike(i), version: 1 }
  const heard = plainArrivals.expect(event.doc.title, listeners.length)
  emitter.event.emit('latency/plain', event)
  await bounded(heard)
  await sleep(20)

  const hopEvent = { op: 'upsert', doc: taskLike(i), version: 1 }
  const hopped = hopArrivals.expect(hopEvent.doc.title, 1)
  hopFrom.event.emit('latency/hop', hopEvent)
  await bounded(hopped)
  await sleep(20)
}

writerView.unsubscribe()
for (const subscription of subscriptions) subscription.unsubscribe()
await Promise.all(kits.map((kit) => kit.dispose()))
for (const client of plain) client.close()
process.send?.({ type: 'result', realtime, http, deepstream, hop, byUrl, perWrite }, () => process.exit(0))
