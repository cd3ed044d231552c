import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { firstValueFrom, type Observable, type Subscription } from 'rxjs'
import type { Doc, Page, TaskFields } from '../contracts/index.ts'
// Tests may start the bundled server in-process; services source never imports server code.
import { startStack, type Stack } from '../server/stack.ts'
import { testEnv } from '../server/testing/test-env.ts'
import { createKit } from './create-kit.ts'
import type { Kit } from './kit.ts'
import type { DocChange } from './live/changes.ts'
import { MemoryStorage } from './storage/memory-storage.ts'
import { TcpProxy } from './testing/tcp-proxy.ts'
import { waitFor } from './testing/wait.ts'
import { messagesOf, tasksOf } from './index.ts'

// The facade end to end against the bundled server, started once for all of
// it; over 300 lines for that reason (a second file would start a second stack).

const PASSWORD = 'rtkit-demo'
const WELCOME_MESSAGE = '20000000-0000-4000-8000-000000000001' // seeded, written by alice
const kits: Kit[] = []
const held: Subscription[] = []
let stack: Stack

/** Keeps a live query open for the rest of the file, as a mounted component would. */
function hold<T>(source$: Observable<T>): Observable<T> {
  held.push(source$.subscribe())
  return source$
}

function newKit(options: { apiUrl?: string; realtimeUrl?: string; storage?: MemoryStorage } = {}): Kit {
  const kit = createKit({
    apiUrl: options.apiUrl ?? stack.apiUrl,
    realtimeUrl: options.realtimeUrl ?? stack.realtimeUrl,
    storage: options.storage ?? new MemoryStorage(),
  })
  kits.push(kit)
  return kit
}

async function signedInKit(username: 'alice' | 'bob', options: Parameters<typeof newKit>[0] = {}): Promise<Kit> {
  const kit = newKit(options)
  await kit.login(username, PASSWORD)
  await waitFor(kit.connection$, (status) => status === 'open', `${username}'s realtime connection`)
  return kit
}

/** Every task of a board, read straight from the server (not through a kit). */
async function tasksInDatabase(board: string): Promise<Doc<TaskFields>[]> {
  const login = await fetch(`${stack.apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: PASSWORD }),
  })
  const { token } = (await login.json()) as { token: string }
  const response = await fetch(`${stack.apiUrl}/collections/tasks?board=${board}&limit=1000`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return ((await response.json()) as Page<Doc<TaskFields>>).items
}

before(async () => {
  stack = await startStack(testEnv())
})

after(async () => {
  for (const subscription of held) subscription.unsubscribe()
  for (const kit of kits) await kit.dispose()
  await stack.close()
})

/** Relays in front of the API and the realtime server, for a kit whose network a test cuts and restores. */
async function cuttableNetwork() {
  const api = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(stack.apiUrl).port) })
  const ws = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(stack.realtimeUrl).port) })
  const restore = async () => {
    await api.start()
    await ws.start()
  }
  await restore()
  return {
    apiUrl: `http://127.0.0.1:${api.port}`,
    realtimeUrl: Object.assign(new URL(stack.realtimeUrl), { port: String(ws.port) }).toString(),
    cut: async () => {
      await api.stop()
      await ws.stop()
    },
    restore,
  }
}

describe('createKit against the bundled server', () => {
  describe('before its signed-in half has loaded', () => {
    it('signed out: shows no presence, issues nothing; queries and writes made before the sign-in work once it loads', async () => {
      // Prepare: a signed-out kit (its half is loaded at the first sign-in request).
      const board = `early-${Date.now()}`
      const kit = newKit()
      await waitFor(kit.session$, (session) => session.status === 'signedOut', 'signed out')
      assert.deepEqual(await firstValueFrom(kit.presence$), [])
      assert.equal(await firstValueFrom(kit.collection('tasks').declared()), undefined)
      const refused = tasksOf(kit).addTask({ board, title: 'while signed out' })
      assert.equal((await refused.settled).status, 'rejected')
      const tasks$ = hold(tasksOf(kit).tasks$(board))

      // Act: sign in, then write before the connection is open.
      await kit.login('alice', PASSWORD)
      const early = tasksOf(kit).addTask({ board, title: 'right after sign-in' })

      // Assess: the query opened while signed out attached, the write was sent.
      assert.equal((await early.settled).status, 'confirmed')
      await waitFor(tasks$, (tasks) => tasks.some((task) => task.id === early.docId && task.version === 1), 'the early query')
      await waitFor(kit.connection$, (status) => status === 'open', 'the realtime connection')
      await waitFor(kit.presence$, (users) => users.some((user) => user.username === 'alice'), 'alice in presence')
    })
  })

  it('logs in, and rejects a wrong password with an UnauthorizedError', async () => {
    const kit = newKit()
    const user = await kit.login('alice', PASSWORD)
    assert.equal(user.username, 'alice')
    assert.equal((await firstValueFrom(kit.session$)).status, 'signedIn')
    await assert.rejects(newKit().login('alice', 'wrong password'), { name: 'UnauthorizedError', status: 401 })
  })

  it('shows who is online as named profiles, the signed-in user included', async () => {
    const alice = await signedInKit('alice')
    await signedInKit('bob')
    const online = await waitFor(alice.presence$, (users) => users.some((u) => u.username === 'bob'), "bob in alice's presence")
    assert.deepEqual(
      online.map((u) => u.name),
      ['Alice Martin', 'Bob Okafor'],
    )
  })

  it('updates a live query when another client writes', async () => {
    const alice = await signedInKit('alice')
    const bob = await signedInKit('bob')
    const board = `live-${Date.now()}`
    await waitFor(hold(tasksOf(alice).tasks$(board)), (tasks) => tasks.length === 0, 'the empty board')
    const { docId } = tasksOf(bob).addTask({ board, title: 'From Bob' })
    const tasks = await waitFor(
      tasksOf(alice).tasks$(board),
      (list) => list.some((t) => t.id === docId && t.version === 1),
      "Bob's task at Alice",
    )
    assert.equal(tasks.find((t) => t.id === docId)?.title, 'From Bob')
  })

  it('keeps two kits of one page apart: changes one of them takes make the other neither store its queue nor show its session again', async () => {
    // Several kits share a page (micro-frontends) and the selectors of the kit's module.
    class CountingStorage extends MemoryStorage {
      writes = 0
      override set(key: string, value: string): void {
        this.writes++
        super.set(key, value)
      }
    }
    const storage = new CountingStorage()
    const alice = await signedInKit('alice', { storage })
    const bob = await signedInKit('bob')
    const board = `apart-${Date.now()}`
    let sessions = 0
    held.push(alice.session$.subscribe(() => sessions++))
    await waitFor(hold(tasksOf(alice).tasks$(board)), (tasks) => tasks.length === 0, "alice's empty board")
    await waitFor(hold(tasksOf(bob).tasks$(board)), (tasks) => tasks.length === 0, "bob's empty board")
    const [writesBefore, sessionsBefore] = [storage.writes, sessions]

    for (const title of ['one', 'two', 'three']) await tasksOf(bob).addTask({ board, title }).settled
    await waitFor(tasksOf(alice).tasks$(board), (tasks) => tasks.length === 3, "bob's three tasks at alice")

    assert.equal(storage.writes, writesBefore, "alice's queue did not change, so it was not stored again")
    assert.equal(sessions, sessionsBefore, "alice's session did not change, so session$ did not emit")
  })

  it('tells a query’s changes apart: Bob’s are remote, Alice’s own are local with the command id', async () => {
    const alice = await signedInKit('alice')
    const bob = await signedInKit('bob')
    const board = `changes-${Date.now()}`
    const changes: DocChange<TaskFields>[] = []
    held.push(
      alice
        .collection<TaskFields>('tasks')
        .where({ board })
        .changes()
        .subscribe((change) => changes.push(change)),
    )
    await waitFor(tasksOf(alice).tasks$(board), (tasks) => tasks.length === 0, 'the empty board')
    const fromBob = tasksOf(bob).addTask({ board, title: 'From Bob' })
    await waitFor(tasksOf(alice).tasks$(board), (tasks) => tasks.some((t) => t.id === fromBob.docId), "Bob's task at Alice")
    const own = tasksOf(alice).renameTask(fromBob.docId, 'Renamed by Alice')
    await own.settled
    await waitFor(tasksOf(alice).tasks$(board), (tasks) => tasks.some((t) => t.version === 2 && !t.pending), 'the confirmed rename')
    assert.deepEqual(
      changes.map((c) => [c.origin, c.op, c.id, c.version, c.previousVersion, c.commandId]),
      [
        ['remote', 'upsert', fromBob.docId, 1, undefined, undefined],
        ['local', 'upsert', fromBob.docId, 2, 1, own.command.id],
      ],
    )
    assert.equal(changes[1]?.doc?.title, 'Renamed by Alice')
    assert.equal(changes[1]?.previous?.title, 'From Bob')
  })

  it('applies a command optimistically, then replaces it with the server document', async () => {
    const kit = await signedInKit('alice')
    const board = `optimistic-${Date.now()}`
    await waitFor(hold(tasksOf(kit).tasks$(board)), (tasks) => tasks.length === 0, 'the empty board')
    const receipt = tasksOf(kit).addTask({ board, title: 'Right away' })
    // Synchronously after the call, before any network round trip:
    const optimistic = await firstValueFrom(tasksOf(kit).tasks$(board))
    assert.deepEqual(
      optimistic.map((t) => [t.title, t.version, t.pending]),
      [['Right away', 0, true]],
    )
    const outcome = await receipt.settled
    assert.equal(outcome.status, 'confirmed')
    const confirmed = await waitFor(tasksOf(kit).tasks$(board), (tasks) => tasks[0]?.pending !== true, 'the confirmed task')
    assert.deepEqual(
      confirmed.map((t) => [t.title, t.version]),
      [['Right away', 1]],
    )
  })

  it("rolls back with a visible 403 when Bob edits Alice's message", async () => {
    const bob = await signedInKit('bob')
    const original = await waitFor(
      hold(messagesOf(bob).messages$('lobby')),
      (messages) => messages.some((m) => m.id === WELCOME_MESSAGE),
      'the welcome message',
    )
    const text = original.find((m) => m.id === WELCOME_MESSAGE)!.text
    const { settled } = messagesOf(bob).editMessage(WELCOME_MESSAGE, 'Bob was here')
    const outcome = await settled
    assert.equal(outcome.status, 'rejected')
    assert.equal(outcome.status === 'rejected' && outcome.error.code, 'forbidden')
    const errors = await firstValueFrom(bob.errors$)
    assert.equal(errors.at(-1)?.status, 403)
    const messages = await firstValueFrom(messagesOf(bob).messages$('lobby'))
    assert.equal(messages.find((m) => m.id === WELCOME_MESSAGE)?.text, text)
    assert.equal(messages.find((m) => m.id === WELCOME_MESSAGE)?.pending, undefined)
  })

  it('rolls back an invalid insert with a visible 422 and keeps nothing', async () => {
    const kit = await signedInKit('alice')
    const board = `invalid-${Date.now()}`
    await waitFor(hold(tasksOf(kit).tasks$(board)), (tasks) => tasks.length === 0, 'the empty board')
    const outcome = await tasksOf(kit).addTask({ board, title: '   ' }).settled
    assert.equal(outcome.status === 'rejected' && outcome.error.status, 422)
    assert.deepEqual(await firstValueFrom(tasksOf(kit).tasks$(board)), [])
    assert.deepEqual(await tasksInDatabase(board), [])
  })

  it('reports a conflict with the current document when the version is stale', async () => {
    const alice = await signedInKit('alice')
    const bob = await signedInKit('bob')
    const board = `conflict-${Date.now()}`
    await waitFor(hold(tasksOf(alice).tasks$(board)), (tasks) => tasks.length === 0, 'the empty board')
    const { docId, settled } = tasksOf(alice).addTask({ board, title: 'v1' })
    await settled
    await waitFor(hold(tasksOf(bob).tasks$(board)), (tasks) => tasks.some((t) => t.id === docId && t.version === 1), 'the task at Bob')
    assert.equal((await tasksOf(bob).renameTask(docId, 'Bob renamed').settled).status, 'confirmed')
    const outcome = await alice.update('tasks', docId, { title: 'Alice renamed' }, { expectedVersion: 1 }).settled
    assert.equal(outcome.status, 'rejected')
    const error = outcome.status === 'rejected' ? outcome.error : undefined
    assert.equal(error?.code, 'conflict')
    assert.equal(error?.current?.version, 2)
    assert.equal((error?.current as unknown as Doc<TaskFields> | undefined)?.title, 'Bob renamed')
  })

  it('queues commands while the server is unreachable, keeps them across a reload, and applies each exactly once', async () => {
    // Prepare: a kit that reaches the server through relays we can cut.
    const network = await cuttableNetwork()
    const { apiUrl, realtimeUrl } = network
    const storage = new MemoryStorage()
    const board = `offline-${Date.now()}`
    const first = await signedInKit('alice', { apiUrl, realtimeUrl, storage })
    await waitFor(hold(tasksOf(first).tasks$(board)), (tasks) => tasks.length === 0, 'the empty board')
    const kept = tasksOf(first).addTask({ board, title: 'stored before going offline' })
    assert.equal((await kept.settled).status, 'confirmed')
    await waitFor(tasksOf(first).tasks$(board), (tasks) => tasks.some((t) => t.id === kept.docId && t.version === 1), 'the stored task')

    // Act: cut the network, issue commands, "reload" (a new kit on the same storage), restore.
    await network.cut()
    await waitFor(first.connection$, (status) => status !== 'open', 'the connection to drop')
    const a = tasksOf(first).addTask({ board, title: 'A' })
    const b = tasksOf(first).addTask({ board, title: 'B' })
    tasksOf(first).renameTask(a.docId, 'A renamed')
    tasksOf(first).moveTask(b.docId, { status: 'doing', order: 1 })
    tasksOf(first).renameTask(kept.docId, 'renamed offline')
    tasksOf(first).removeTask(b.docId)
    const c = tasksOf(first).addTask({ board, title: 'C' })
    const pendingBefore = await firstValueFrom(first.pending$)
    assert.equal(pendingBefore.length, 7)
    const optimistic = await firstValueFrom(tasksOf(first).tasks$(board))
    assert.deepEqual(optimistic.map((t) => t.title).sort(), ['A renamed', 'C', 'renamed offline'])
    await first.dispose()

    const second = newKit({ apiUrl, realtimeUrl, storage })
    await waitFor(second.session$, (session) => session.status === 'signedIn', 'the restored session')
    await waitFor(second.pending$, (pending) => pending.length === 7, 'the restored queue')
    await network.restore()
    await waitFor(second.pending$, (pending) => pending.length === 0, 'the queue to drain', 30_000)

    // Assess: in the database, each command applied exactly once.
    const stored = await tasksInDatabase(board)
    const byTitle = Object.fromEntries(stored.map((t) => [t.title, t]))
    assert.deepEqual(Object.keys(byTitle).sort(), ['A renamed', 'C', 'renamed offline'])
    assert.equal(stored.length, 3)
    assert.equal(byTitle['A renamed']?.id, a.docId)
    assert.equal(byTitle['A renamed']?.version, 2)
    assert.equal(byTitle['renamed offline']?.version, 2)
    assert.equal(byTitle['C']?.id, c.docId)
    assert.equal(byTitle['C']?.version, 1)
    assert.deepEqual(await firstValueFrom(second.errors$), [])
    await network.cut()
  })

  it('keeps one queue per tab: two kits of one user on one storage, both offline, one closed; every command applied once', async () => {
    // Prepare: two "tabs" (kits sharing one storage, as tabs share localStorage), signed in as alice, behind relays we can cut.
    const network = await cuttableNetwork()
    const { apiUrl, realtimeUrl } = network
    const storage = new MemoryStorage()
    const board = `two-tabs-${Date.now()}`
    const one = await signedInKit('alice', { apiUrl, realtimeUrl, storage })
    const two = newKit({ apiUrl, realtimeUrl, storage })
    await waitFor(two.session$, (session) => session.status === 'signedIn', "the second tab's restored session")
    await waitFor(two.connection$, (status) => status === 'open', "the second tab's connection")

    // Act: both go offline and write, interleaved; the second tab closes; the network comes back.
    await network.cut()
    await waitFor(one.connection$, (status) => status !== 'open', 'the connection to drop')
    tasksOf(one).addTask({ board, title: 'one-1' })
    tasksOf(two).addTask({ board, title: 'two-1' })
    tasksOf(one).addTask({ board, title: 'one-2' })
    tasksOf(two).addTask({ board, title: 'two-2' })
    await two.dispose()
    await network.restore()
    await waitFor(
      hold(tasksOf(one).tasks$(board)),
      (tasks) => tasks.length === 4 && tasks.every((task) => !task.pending),
      "both tabs' tasks on the board",
      30_000,
    )
    await waitFor(one.pending$, (pending) => pending.length === 0, 'the queue to drain')

    // Assess: each command applied exactly once, the closed tab's too.
    const stored = await tasksInDatabase(board)
    assert.deepEqual(stored.map((task) => task.title).sort(), ['one-1', 'one-2', 'two-1', 'two-2'])
    assert.deepEqual(
      stored.map((task) => task.version),
      [1, 1, 1, 1],
    )
    assert.deepEqual(await firstValueFrom(one.errors$), [])
    await network.cut()
  })

  it("does not send one user's queued commands as the next user who logs in on the same kit, and replays them at the first user's next login", async () => {
    // Prepare: alice's kit, whose realtime connection we can cut (HTTP stays up, so logins work).
    const ws = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(stack.realtimeUrl).port) })
    await ws.start()
    const realtimeUrl = Object.assign(new URL(stack.realtimeUrl), { port: String(ws.port) }).toString()
    const board = `switch-user-${Date.now()}`
    const kit = await signedInKit('alice', { realtimeUrl })
    const alice = (await firstValueFrom(kit.session$)).user!
    await waitFor(hold(tasksOf(kit).tasks$(board)), (tasks) => tasks.length === 0, 'the empty board')
    await ws.stop()
    await waitFor(kit.connection$, (status) => status !== 'open', 'the connection to drop')
    const queued = tasksOf(kit).addTask({ board, title: 'queued by alice' })
    assert.equal((await firstValueFrom(kit.pending$)).length, 1)

    // Act: bob logs in on the same kit without alice logging out; the connection comes back; bob writes.
    const bob = await kit.login('bob', PASSWORD)
    await ws.start()
    await waitFor(kit.connection$, (status) => status === 'open', "bob's realtime connection")
    assert.deepEqual(await firstValueFrom(kit.pending$), [])
    const bobs = tasksOf(kit).addTask({ board, title: 'by bob' })
    assert.equal((await bobs.settled).status, 'confirmed')

    // Assess: commands go out in order, so had alice's been sent as bob it would be stored by now.
    assert.deepEqual(
      (await tasksInDatabase(board)).map((t) => [t.title, t.createdBy]),
      [['by bob', bob.id]],
    )

    // Act: alice logs in again on the same kit.
    await kit.login('alice', PASSWORD)
    await waitFor(kit.pending$, (pending) => pending.length === 0, "alice's queue to drain", 15_000)

    // Assess: her command applied once, as hers.
    const stored = await tasksInDatabase(board)
    assert.deepEqual(stored.map((t) => [t.title, t.createdBy]).sort(), [
      ['by bob', bob.id],
      ['queued by alice', alice.id],
    ])
    assert.equal(stored.find((t) => t.title === 'queued by alice')?.id, queued.docId)
    await ws.stop()
  })
})
