import { DeepstreamClient } from '@deepstream/client'
import r from 'rethinkdb'
import { topicFor } from '../../contracts/realtime.ts'
import { connectOptions } from '../../server/db/connection.ts'
import type { DatabaseConfig } from '../../server/config.ts'
import { demoToken, signedInKit } from '../demo-sign-in.ts'
import { tasksOf } from '../../services/index.ts'

/**
 * Where a realtime write's milliseconds go: one kit writes, and this process
 * notes when each stage along the path has it, relative to the write:
 *
 * - `http`: the command is confirmed (the API answered the POST);
 * - `changefeed`: a changefeed of its own on the tasks table shows the row;
 * - `deepstream`: a plain deepstream client, signed in as a reader and
 *   subscribed to the board's topic, receives the bridge's event;
 * - `kit`: a reading kit's live query emits the task.
 *
 * One write at a time, so the stages do not queue behind one another.
 * Results go back over IPC.
 */
const apiUrl = process.env.API_URL as string
const realtimeUrl = process.env.REALTIME_URL as string
const sent = JSON.parse(process.env.DATABASE as string) as DatabaseConfig & { url: string }
const database: DatabaseConfig = { ...sent, url: new URL(sent.url) }
const writes = Number(process.env.WRITES)
const WARMUP = 3
const now = () => performance.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const writer = await signedInKit(apiUrl, realtimeUrl, 'alice')
const reader = await signedInKit(apiUrl, realtimeUrl, 'bob')
const board = `path-${Date.now()}`

type Stage = 'http' | 'changefeed' | 'deepstream' | 'kit'
const stages: Record<Stage, number[]> = { http: [], changefeed: [], deepstream: [], kit: [] }
let current: { title: string; started: number; seen: Partial<Record<Stage, number>>; done: () => void } | undefined
function mark(stage: Stage, title: string): void {
  if (!current || current.title !== title || current.seen[stage] !== undefined) return
  current.seen[stage] = now() - current.started
  if (Object.keys(current.seen).length === 4) current.done()
}

const connection = await r.connect(connectOptions(database))
const feed = await r.table('tasks').changes().run(connection)
feed.each((error, change: { new_val?: { board?: string; title?: string } | null }) => {
  if (!error && change.new_val?.board === board) mark('changefeed', String(change.new_val.title))
})

const token = await demoToken(apiUrl, 'bob')
const raw = new DeepstreamClient(realtimeUrl, { maxReconnectAttempts: 0 })
await new Promise<void>((resolve) => raw.login({ token }, () => resolve()))
raw.event.subscribe(topicFor('tasks', board), (data) => mark('deepstream', String((data as { doc?: { title?: string } })?.doc?.title)))

const seenByKit = new Set<string>()
const view = tasksOf(reader)
  .tasks$(board)
  .subscribe((tasks) => {
    for (const task of tasks) {
      if (seenByKit.has(task.title)) continue
      seenByKit.add(task.title)
      mark('kit', task.title)
    }
  })
await sleep(1000)

for (let i = 0; i < WARMUP + writes; i++) {
  const title = `path ${i}`
  const arrived = new Promise<void>((done) => (current = { title, started: now(), seen: {}, done }))
  const { settled } = tasksOf(writer).addTask({ board, title })
  void settled.then(() => mark('http', title))
  await Promise.race([arrived, sleep(5_000)])
  if (i >= WARMUP)
    for (const stage of Object.keys(stages) as Stage[]) if (current!.seen[stage] !== undefined) stages[stage].push(current!.seen[stage]!)
  await sleep(20)
}

view.unsubscribe()
raw.close()
await feed.close()
await connection.close()
await Promise.all([writer.dispose(), reader.dispose()])
process.send?.({ type: 'result', stages }, () => process.exit(0))
