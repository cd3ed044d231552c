import { DeepstreamClient } from '@deepstream/client'
import { filter, firstValueFrom } from 'rxjs'
import { createKit, MemoryStorage, type Kit } from '../../services/index.ts'

/**
 * A child process holding many kits (the services layer users run), so that
 * the clients' work runs beside the server being measured. It measures, for
 * writes made through one kit's command path, when every other kit's live
 * query emits the change; and, as the baseline, a plain deepstream event
 * between two clients (when `PLAIN_URL` is set). Results go back over IPC.
 * `REALTIME_URLS` (a comma list, for a cluster's nodes) spreads the kits
 * over several deepstream nodes in turn; `byUrl` then has each one's latencies.
 */
const apiUrl = process.env.API_URL as string
const realtimeUrls = (process.env.REALTIME_URLS ?? (process.env.REALTIME_URL as string)).split(',')
const plainUrl = process.env.PLAIN_URL as string
const clients = Number(process.env.CLIENTS)
const writes = Number(process.env.WRITES)
const now = () => performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const urlOf = (index: number) => index % realtimeUrls.length

async function signedIn(index: number): Promise<Kit> {
  const kit = createKit({ apiUrl, realtimeUrl: realtimeUrls[urlOf(index)] as string, storage: new MemoryStorage() })
  await kit.login(index % 2 === 0 ? 'alice' : 'bob', 'rtkit-demo')
  await firstValueFrom(kit.connection$.pipe(filter((status) => status === 'open')))
  return kit
}

const byUrl: number[][] = realtimeUrls.map(() => [])

async function realtimeLatency(): Promise<number[]> {
  const kits: Kit[] = []
  for (let i = 0; i < clients; i += 10)
    kits.push(...(await Promise.all(Array.from({ length: Math.min(10, clients - i) }, (_, j) => signedIn(i + j)))))
  const board = `latency-${Date.now()}`
  const waiting = new Map<string, { started: number; remaining: number; done: () => void }>()
  const latencies: number[] = []
  const [writer, ...readers] = kits as [Kit, ...Kit[]]
  const subscriptions = readers.map((kit, reader) => {
    const seen = new Set<string>()
    const group = byUrl[urlOf(reader + 1)] as number[]
    return kit.tasks$(board).subscribe((tasks) => {
      for (const task of tasks) {
        const wait = waiting.get(task.title)
        if (!wait || seen.has(task.title)) continue
        seen.add(task.title)
        const latency = now() - wait.started
        latencies.push(latency)
        group.push(latency)
        if (--wait.remaining === 0) wait.done()
      }
    })
  })
  const writerView = writer.tasks$(board).subscribe()
  await sleep(1000) // every live query subscribed and loaded
  for (let i = 0; i < writes; i++) {
    const title = `write ${i}`
    const arrived = new Promise<void>((resolve) => waiting.set(title, { started: now(), remaining: readers.length, done: resolve }))
    writer.addTask({ board, title })
    await Promise.race([arrived, sleep(5000)])
    await sleep(20)
  }
  writerView.unsubscribe()
  for (const subscription of subscriptions) subscription.unsubscribe()
  await Promise.all(kits.map((kit) => kit.dispose()))
  return latencies
}

async function plainRoundTrips(): Promise<number[]> {
  const connect = async () => {
    const client = new DeepstreamClient(plainUrl, { maxReconnectAttempts: 0 })
    await new Promise<void>((resolve) => client.login({}, () => resolve()))
    return client
  }
  const [a, b] = await Promise.all([connect(), connect()])
  const latencies: number[] = []
  let pending: ((value: void) => void) | undefined
  b.event.subscribe('latency/plain', () => pending?.())
  await sleep(300)
  for (let i = 0; i < writes; i++) {
    const started = now()
    await new Promise<void>((resolve) => {
      pending = resolve
      a.event.emit('latency/plain', { i, doc: { id: String(i), title: `write ${i}` } })
    })
    latencies.push(now() - started)
    await sleep(20)
  }
  a.close()
  b.close()
  return latencies
}

const baseline = plainUrl ? await plainRoundTrips() : []
const latencies = await realtimeLatency()
process.send?.({ type: 'result', latencies, baseline, byUrl }, () => process.exit(0))
