import { BehaviorSubject, map, NEVER, of, Subject, timer, type Observable } from 'rxjs'
import type { ChangeEvent, Doc, Page, Session, TaskFields } from '../../contracts/index.ts'
import {
  compareTasks,
  ConnectionStatus,
  createKit,
  MemoryStorage,
  type HttpGateway,
  type Kit,
  type LiveDoc,
  type RealtimeGateway,
  tasksOf,
} from '../../services/index.ts'

/**
 * The services pipeline alone, in a process of its own: a kit on in-memory
 * gateways (no network), a board of TASKS tasks watched the way
 * `<rt-task-board>` watches it (`tasks$`, `status()`, `changes()`), then
 * CHANGES remote changes pushed through the realtime gateway one at a time.
 * Each is timed from the event entering the kit to the sorted board array
 * reaching the subscriber (all synchronous: store → reducer → selector →
 * sorted view). Reports the timings (ms) over IPC, or prints them.
 */
const TASKS = Number(process.env.TASKS ?? 5000)
const CHANGES = Number(process.env.CHANGES ?? 400)
const WARMUP = 100
const BOARD = 'bench'
const STATUSES = ['todo', 'doing', 'done'] as const
const user = { id: '00000000-0000-4000-8000-00000000a11c', username: 'alice', name: 'Alice' }
const at = '2024-01-01T00:00:00.000Z'

function taskDoc(i: number, version = 1, fields: Partial<TaskFields> = {}): Doc {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    board: BOARD,
    title: `Task ${i}`,
    status: STATUSES[i % 3]!,
    order: i,
    version,
    createdAt: at,
    updatedAt: at,
    createdBy: user.id,
    ...fields,
  } as Doc
}

const stored = Array.from({ length: TASKS }, (_, i) => taskDoc(i))
const session: Session = { token: 'bench', user, expiresAt: Math.floor(Date.now() / 1000) + 3600 }

const http: HttpGateway = {
  // Answered later, as a server would: the kit reads its stored session first.
  login: () => timer(1).pipe(map(() => session)),
  register: () => timer(1).pipe(map(() => session)),
  me: () => of({ user }),
  logout: () => of({}),
  users: () => of({ users: [] }),
  collections: () => of({ collections: [] }),
  list: (_partition, page = {}) => {
    const start = page.cursor ? stored.findIndex((doc) => doc.id === page.cursor) + 1 : 0
    const limit = page.limit ?? 500
    const items = stored.slice(start, start + limit)
    const nextCursor = start + limit < stored.length ? (items.at(-1)?.id ?? null) : null
    return of<Page<Doc>>({ items, nextCursor })
  },
  insert: () => NEVER,
  update: () => NEVER,
  remove: () => NEVER,
  call: () => NEVER,
}

const topics = new Map<string, Subject<unknown>>()
const realtime: RealtimeGateway = {
  status$: new BehaviorSubject<ConnectionStatus>(ConnectionStatus.open),
  presence$: of([]),
  event$: <T>(topic: string) => {
    let subject = topics.get(topic)
    if (!subject) topics.set(topic, (subject = new Subject()))
    return subject as Observable<T>
  },
  subscribed: () => Promise.resolve(),
  setToken: () => undefined,
  refreshToken: () => undefined,
  close: () => undefined,
}

const kit: Kit = createKit(
  { apiUrl: 'http://bench.invalid', realtimeUrl: 'ws://bench.invalid', storage: new MemoryStorage() },
  { http, realtime },
)
await kit.login('alice', 'bench')
let latest: readonly LiveDoc<TaskFields>[] = []
let emissions = 0
const query = kit.collection<TaskFields>('tasks').where({ board: BOARD })
const held = [
  tasksOf(kit)
    .tasks$(BOARD)
    .subscribe((tasks) => {
      latest = tasks
      emissions++
    }),
  query.status().subscribe(),
  query.changes().subscribe(),
]
for (let i = 0; i < 200 && latest.length < TASKS; i++) await new Promise((resolve) => setTimeout(resolve, 10))
if (latest.length !== TASKS) throw new Error(`the board loaded ${latest.length} of ${TASKS} tasks`)

const topic = topics.get(`tasks/${BOARD}`)!
const versions = stored.map(() => 1)
/** The n-th change: renames, moves to another column, inserts and removes, in turn. */
function change(n: number): ChangeEvent {
  const i = (n * 7919) % TASKS
  const version = ++versions[i]!
  switch (n % 4) {
    case 0:
      return { op: 'upsert', doc: taskDoc(i, version, { title: `Renamed ${n}` }), version }
    case 1:
      return { op: 'upsert', doc: taskDoc(i, version, { status: STATUSES[(i + 1) % 3]!, order: -n }), version }
    case 2:
      return { op: 'upsert', doc: taskDoc(TASKS + n, 1), version: 1 }
    default:
      return { op: 'remove', id: taskDoc(TASKS + n - 1).id, version: 2 }
  }
}

const timings: number[] = []
for (let n = 0; n < WARMUP + CHANGES; n++) {
  const event = change(n)
  const before = emissions
  const started = performance.now()
  topic.next(event)
  const ms = performance.now() - started
  if (emissions !== before + 1) throw new Error(`change ${n} did not reach the board exactly once`)
  if (n >= WARMUP) timings.push(ms)
}
const sorted = latest.every((task, i) => i === 0 || compareTasks(latest[i - 1]!, task) < 0)
for (const subscription of held) subscription.unsubscribe()
await kit.dispose()
if (!sorted) throw new Error('board out of order')
if (process.send) process.send({ type: 'result', timings }, () => process.exit(0))
else {
  const s = [...timings].sort((a, b) => a - b)
  console.log(`${TASKS} tasks: median ${s[s.length >> 1]!.toFixed(3)} ms, p99 ${s[Math.floor(s.length * 0.99)]!.toFixed(3)} ms`)
}
