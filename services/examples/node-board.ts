/**
 * A task board in Node, through the services layer only (no Lit, no DOM).
 *
 *   npm start                                   # in one terminal
 *   npx tsx services/examples/node-board.ts     # in another
 *
 * Logs in as alice, watches the `launch` board, adds, moves, renames and
 * removes a task, has a second client (bob) add one, then keeps printing
 * every change other clients make (open the demo page to make some) until
 * Ctrl-C or RTKIT_WATCH_SECONDS elapse.
 *
 * Environment: RTKIT_API_URL (default http://127.0.0.1:3000),
 * RTKIT_REALTIME_URL (default ws://127.0.0.1:6020/deepstream),
 * RTKIT_BOARD (default launch), RTKIT_WATCH_SECONDS (default 30; 0 = forever).
 */
import { filter, firstValueFrom, pairwise, startWith, timeout } from 'rxjs'
import { createKit, tasksOf, type Kit, type LiveDoc } from '../index.ts'
import type { TaskFields } from '../../contracts/index.ts'

const apiUrl = process.env.RTKIT_API_URL ?? 'http://127.0.0.1:3000'
const realtimeUrl = process.env.RTKIT_REALTIME_URL ?? 'ws://127.0.0.1:6020/deepstream'
const board = process.env.RTKIT_BOARD ?? 'launch'
const watchSeconds = Number(process.env.RTKIT_WATCH_SECONDS ?? 30)

type Task = LiveDoc<TaskFields>

function describe(task: Task): string {
  return `[${task.status}] ${task.title} (v${task.version}${task.pending ? ', saving…' : ''})`
}

/** Prints what changed between two versions of the board. */
function printChanges(before: readonly Task[], after: readonly Task[], me: string): void {
  const old = new Map(before.map((task) => [task.id, task]))
  const now = new Map(after.map((task) => [task.id, task]))
  for (const task of after) {
    const previous = old.get(task.id)
    if (previous && previous.version === task.version && previous.pending === task.pending) continue
    // Our own writes show first as optimistic, then confirmed; anything else came from another client.
    const mine = task.pending || previous?.pending === true || (!previous && task.createdBy === me)
    const who = task.pending ? 'optimistic' : mine ? 'confirmed' : 'another client'
    console.log(`${previous ? '~' : '+'} ${describe(task)}  ← ${who}`)
  }
  for (const task of before) if (!now.has(task.id)) console.log(`- ${task.title}`)
}

async function signIn(username: string): Promise<Kit> {
  const kit = createKit({ apiUrl, realtimeUrl })
  await kit.login(username, 'rtkit-demo')
  await firstValueFrom(
    kit.connection$.pipe(
      filter((status) => status === 'open'),
      timeout(10_000),
    ),
  )
  return kit
}

async function main(): Promise<void> {
  const alice = await signIn('alice')
  const me = (await firstValueFrom(alice.session$)).user?.id ?? ''
  alice.errors$.pipe(filter((errors) => errors.length > 0)).subscribe((errors) => {
    for (const error of errors) console.error(`! ${error.code}: ${error.message}`)
  })
  const tasks$ = tasksOf(alice).tasks$(board)
  const initial = await firstValueFrom(tasks$)
  console.log(`board "${board}" as alice:`)
  for (const task of initial) console.log(`  ${describe(task)}`)
  const changes = tasks$.pipe(startWith(initial), pairwise()).subscribe(([before, after]) => printChanges(before, after, me))

  console.log('\nalice adds, moves, renames and removes a task:')
  const added = tasksOf(alice).addTask({ board, title: 'Try rtkit from Node' })
  tasksOf(alice).moveTask(added.docId, { status: 'doing', order: 0 })
  tasksOf(alice).renameTask(added.docId, 'Tried rtkit from Node')
  await firstValueFrom(
    alice.pending$.pipe(
      filter((pending) => pending.length === 0),
      timeout(10_000),
    ),
  )
  await tasksOf(alice).removeTask(added.docId).settled

  console.log('\nbob, another client, adds a task:')
  const bob = await signIn('bob')
  const fromBob = tasksOf(bob).addTask({ board, title: 'Hello from Bob' })
  await fromBob.settled
  await firstValueFrom(
    tasks$.pipe(
      filter((tasks) => tasks.some((task) => task.id === fromBob.docId)),
      timeout(10_000),
    ),
  )
  await tasksOf(bob).removeTask(fromBob.docId).settled
  await bob.dispose()

  console.log(`\nwatching "${board}" for changes by others${watchSeconds ? ` for ${watchSeconds} s` : ''} (Ctrl-C to stop)…`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    if (watchSeconds > 0) setTimeout(resolve, watchSeconds * 1000)
  })
  changes.unsubscribe()
  await alice.dispose()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
