import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it, type TestContext } from 'node:test'
import { EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import Redis from 'ioredis'
import type { Subscription } from 'rxjs'
import type { Session, TaskFields } from '../../contracts/index.ts'
import { RESYNC_TOPIC, SESSION_TOPIC, topicFor } from '../../contracts/realtime.ts'
import { DEFAULT_LEASE } from '../../server/cluster/bridge-lease.ts'
import { connectClient, within, type TestClient } from '../../server/testing/realtime-clients.ts'
import { testEnv } from '../../server/testing/test-env.ts'
import { BRIDGE_LEASE_KEY } from '../../server/stack.ts'
import { createKit, MemoryStorage, tasksOf, type Kit, type LiveDoc } from '../../services/index.ts'
import type { ClusterNode } from './cluster-node.ts'
import { startLocalCluster, type LocalCluster } from './local-cluster.ts'
import { DEMO_PASSWORD } from '../../server/db/seed.ts'

// The local cluster on real engines (redis-server, HAProxy, two node
// processes, one database), shared by every test here, in order; each
// fault test but the last puts the cluster back as it found it. Timings go
// to the test output as diagnostics (`# …`).

let cluster: LocalCluster
let admin: Redis.Redis
const clients: TestClient[] = []
const kits: Kit[] = []
const held: Subscription[] = []

before(async () => {
  cluster = await startLocalCluster({ env: testEnv({ RTKIT_REDIS_URL: '', RTKIT_ROLE: '', RTKIT_LOG_LEVEL: 'error' }), nodes: 2 })
  admin = redisClient()
})
after(async () => {
  for (const subscription of held) subscription.unsubscribe()
  await Promise.all(kits.map((kit) => kit.dispose()))
  for (const client of clients) client.close()
  for (const redis of redisClients) redis.disconnect()
  await cluster?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const redisClients: Redis.Redis[] = []

/** A client of the cluster's Redis, with its password unless `password` says otherwise (`null`: none); disconnected after the tests. */
function redisClient(password: string | null = cluster.redisPassword ?? null): Redis.Redis {
  const redis = new Redis(cluster.redisUrl, { retryStrategy: () => 100, ...(password === null ? {} : { password }) })
  redis.on('error', () => undefined)
  redisClients.push(redis)
  return redis
}

/**
 * A cluster-bus message as text, with the Buffers deepstream may put in a
 * message (`data`) decoded, so a token in one is seen too.
 */
function readable(raw: string): string {
  try {
    const decoded = JSON.parse(raw, (_key, value: unknown) => {
      const buffer = value as { type?: unknown; data?: unknown }
      return buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data) ? Buffer.from(buffer.data).toString('utf8') : value
    }) as unknown
    return JSON.stringify(decoded)
  } catch {
    return raw // not deepstream's: searched as it is
  }
}

async function call<T = any>(
  apiUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(apiUrl + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

async function login(username: 'alice' | 'bob'): Promise<Session> {
  const { status, body } = await call<Session>(cluster.apiUrl, 'POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD })
  assert.equal(status, 200, `login as ${username}`)
  return body
}

/** Writes a task through `apiUrl`, retrying a 502/503 a few times as clients do; resolves with its id. */
async function writeTask(apiUrl: string, token: string, board: string, title: string): Promise<string> {
  const id = randomUUID()
  for (let attempt = 0; ; attempt++) {
    const { status, body } = await call(apiUrl, 'POST', '/collections/tasks', token, { id, board, title, status: 'todo', order: 1 })
    if (status === 201 || status === 200) return id
    if (attempt >= 5 || (status !== 502 && status !== 503)) throw new Error(`write through ${apiUrl}: ${status} ${JSON.stringify(body)}`)
    await sleep(200)
  }
}

/** Every message on the cluster bus, as an authenticated `PSUBSCRIBE *` sees it. */
async function watchBus(): Promise<{ readonly seen: string[]; until(match: (text: string) => boolean, what: string): Promise<void> }> {
  const watcher = redisClient()
  const seen: string[] = []
  const waiters = new Set<() => void>()
  watcher.on('pmessage', (_pattern: string, _channel: string, raw: string) => {
    seen.push(readable(raw))
    for (const wake of waiters) wake()
  })
  await watcher.psubscribe('*')
  return {
    seen,
    until(match, what) {
      let check: (() => void) | undefined
      const found = new Promise<void>((resolve) => {
        check = () => seen.some(match) && resolve()
        waiters.add(check)
        check()
      })
      return within(10_000, what, found).finally(() => waiters.delete(check!))
    },
  }
}

async function client(realtimeUrl: string, token: string): Promise<TestClient> {
  const connected = await connectClient(realtimeUrl, token)
  clients.push(connected)
  return connected
}

/** A signed-in kit (the services layer a page runs) behind the balancer, or on one node's deepstream. */
async function kit(username: 'alice' | 'bob', realtimeUrl = cluster.realtimeUrl): Promise<Kit> {
  const created = createKit({ apiUrl: cluster.apiUrl, realtimeUrl, storage: new MemoryStorage() })
  kits.push(created)
  await created.login(username, DEMO_PASSWORD)
  await within(
    10_000,
    `${username}'s realtime connection`,
    firstMatch(created.connection$, (status) => status === 'open'),
  )
  return created
}

function firstMatch<T>(source: { subscribe(next: (value: T) => void): Subscription }, match: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const subscription = source.subscribe((value) => {
      if (!match(value)) return
      queueMicrotask(() => subscription.unsubscribe())
      resolve(value)
    })
  })
}

/** Keeps a board's live query open; `ids()` is what it shows now. */
function watchBoard(watcher: Kit, board: string): { ids(): Set<string> } {
  let latest: readonly LiveDoc<TaskFields>[] = []
  held.push(
    tasksOf(watcher)
      .tasks$(board)
      .subscribe((tasks) => (latest = tasks)),
  )
  return { ids: () => new Set(latest.map((task) => task.id)) }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now()
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(20)
  }
  return performance.now() - started
}

async function leaseHolder(): Promise<ClusterNode | undefined> {
  const value = (await admin.get(BRIDGE_LEASE_KEY)) ?? ''
  return cluster.nodes.find((node) => value.startsWith(`${node.name} `))
}

/** The node whose bridge publishes, once one does (a node takes the lease within a second of starting). */
async function leader(): Promise<ClusterNode> {
  let found: ClusterNode | undefined
  await until(async () => (found = await leaseHolder()) !== undefined, 5_000, 'a bridge to take the lease')
  return found!
}

/** Starts `node` again and waits until the balancer routes to it (health checks every 500 ms). */
async function revive(node: ClusterNode): Promise<void> {
  await node.start()
  await sleep(1_500)
}

const newBoard = (name: string) => `${name}-${randomUUID().slice(0, 8)}`

describe('the cluster’s Redis', () => {
  it('refuses a client without the password: nothing forged reaches the bus, nothing on it can be read', async () => {
    const bus = await watchBus()
    const room = `probe-${randomUUID().slice(0, 8)}`
    const { token } = await login('bob')
    const lobby = (await client(cluster.realtimeUrl, token)).record(topicFor('messages', room))
    // The node announces its new subscriber on the bus: from then on it delivers what the bus brings.
    await bus.until((text) => text.includes(`"name":"messages/${room}"`), `the subscription to messages/${room} on the bus`)
    // A deepstream cluster message as a node would publish it: a chat message that no one wrote.
    const forged = (text: string) =>
      JSON.stringify({
        fromServer: 'intruder',
        message: {
          topic: TOPIC.EVENT,
          action: EVENT_ACTION.EMIT,
          name: topicFor('messages', room),
          parsedData: { op: 'upsert', version: 1, doc: { id: randomUUID(), version: 1, room, text, authorId: 'x', authorName: 'Alice' } },
        },
      })

    const stranger = redisClient(null)
    await assert.rejects(stranger.publish(String(TOPIC.EVENT), forged('forged')), /NOAUTH/)
    await assert.rejects(stranger.psubscribe('*'), /NOAUTH/)
    await assert.rejects(redisClient('not-the-password').ping(), /WRONGPASS/)

    // The same message with the password does arrive (the nodes trust the bus):
    // the refusal above, not the message, is what kept the forgery out.
    await redisClient().publish(String(TOPIC.EVENT), forged('with the password'))
    const first = await lobby.next(() => true)
    assert.equal(first.doc.text, 'with the password')
  })

  it('never carries a token: a refresh is handled on the node that received it', async () => {
    const [one] = cluster.nodes as [ClusterNode, ClusterNode]
    const bus = await watchBus()
    const first = await login('alice')
    const fresh = await login('alice')
    assert.notEqual(first.token, fresh.token)
    const alice = await client(one.realtimeUrl, first.token)
    alice.client.event.emit(SESSION_TOPIC, { token: fresh.token })
    // A barrier: the node handles alice's messages in order and publishes on
    // one connection, so her next subscription reaches the bus after
    // anything her refresh could have sent there.
    const marker = topicFor('tasks', newBoard('after-refresh'))
    alice.record(marker)
    await bus.until((text) => text.includes(`"name":"${marker}"`), `the subscription to ${marker} on the bus`)

    const signatures = [first.token, fresh.token].map((token) => token.split('.')[2]!)
    const leaked = bus.seen.filter((text) => signatures.some((signature) => text.includes(signature)))
    assert.deepEqual(leaked, [], 'no bus message holds a token')
    // The node took the token and answered the refresh with a refusal, which stopped it there.
    await until(() => alice.errors.some((error) => error.event === 'MESSAGE_DENIED'), 5_000, 'the answer to the refresh')
  })
})

describe('a cluster of two nodes', () => {
  it('delivers every write made through either API node to a client on each node, exactly once', async () => {
    const [one, two] = cluster.nodes as [ClusterNode, ClusterNode]
    const { token } = await login('alice')
    const board = newBoard('cross')
    const bus = await watchBus()
    const onOne = (await client(one.realtimeUrl, token)).record(topicFor('tasks', board))
    const onTwo = (await client(two.realtimeUrl, token)).record(topicFor('tasks', board))
    // Each node announces its new subscriber on the bus: from then on the other node's publications reach it.
    const announcedBy = () =>
      new Set(
        bus.seen
          .filter((text) => text.includes(`"name":"${topicFor('tasks', board)}"`))
          .map((text) => /"fromServer":"([^"]+)"/.exec(text)?.[1]),
      )
    await bus.until(() => announcedBy().size >= 2, `the subscriptions to ${topicFor('tasks', board)} on both nodes, on the bus`)

    const written: string[] = []
    for (let i = 0; i < 10; i++) written.push(await writeTask(i % 2 === 0 ? one.apiUrl : two.apiUrl, token, board, `write ${i}`))
    for (const recorder of [onOne, onTwo]) {
      for (const id of written) await recorder.next((event) => event.doc?.id === id)
    }
    await sleep(500) // time for a duplicate to show up
    for (const [name, recorder] of [
      ['node-1', onOne],
      ['node-2', onTwo],
    ] as const) {
      const received = recorder.events.map((event) => event.doc.id as string)
      assert.deepEqual([...received].sort(), [...written].sort(), `the client on ${name} got each write once`)
    }
  })

  it('shows presence across nodes', async () => {
    const [one, two] = cluster.nodes as [ClusterNode, ClusterNode]
    const alice = await login('alice')
    const bob = await login('bob')
    const onOne = await client(one.realtimeUrl, alice.token)
    const onTwo = await client(two.realtimeUrl, bob.token)
    await until(
      async () => ((await onOne.client.presence.getAll()) as string[]).includes(bob.user.id),
      5_000,
      'bob, on node-2, online for alice on node-1',
    )
    await until(
      async () => ((await onTwo.client.presence.getAll()) as string[]).includes(alice.user.id),
      5_000,
      'alice, on node-1, online for bob on node-2',
    )
  })

  it('after Redis restarts, events cross nodes again and clients refetch', async (t: TestContext) => {
    const [one, two] = cluster.nodes as [ClusterNode, ClusterNode]
    assert.ok(cluster.redis, 'the cluster started its own Redis')
    const board = newBoard('redis-restart')
    const { token } = await login('alice')
    const onOne = await client(one.realtimeUrl, token)
    const onTwo = await client(two.realtimeUrl, token)
    const resyncs = [onOne.record(RESYNC_TOPIC), onTwo.record(RESYNC_TOPIC)]
    const changes = [onOne.record(topicFor('tasks', board)), onTwo.record(topicFor('tasks', board))]
    const views = [watchBoard(await kit('alice', one.realtimeUrl), board), watchBoard(await kit('bob', two.realtimeUrl), board)]
    await sleep(300)

    await cluster.redis.restart(500)
    const backAt = performance.now()
    // While the bus was down this write may have reached one node only.
    const during = await writeTask(one.apiUrl, token, board, 'around the restart')
    // Each node announces its own bus's return (the new lease holder announces too).
    for (const recorder of resyncs) await recorder.next((event) => event.reason === 'realtime bus reconnected', 10_000)
    t.diagnostic(`Redis back → resync on both nodes: ${Math.round(performance.now() - backAt)} ms`)
    // Events resume: write until one reaches both nodes (bounded), then every later one must.
    let first: string | undefined
    for (let attempt = 0; attempt < 40 && !first; attempt++) {
      const probe = await writeTask(two.apiUrl, token, board, `probe ${attempt}`)
      const arrived = await Promise.all(
        changes.map((recorder) =>
          recorder
            .next((event) => event.doc?.id === probe, 250)
            .then(
              () => true,
              () => false,
            ),
        ),
      )
      if (arrived.every(Boolean)) first = probe
    }
    assert.ok(first, 'no write reached both nodes after Redis came back')
    t.diagnostic(`Redis back → events cross nodes again: ${Math.round(performance.now() - backAt)} ms`)
    const later = await writeTask(one.apiUrl, token, board, 'later')
    for (const recorder of changes) await recorder.next((event) => event.doc?.id === later)
    await until(() => views.every((view) => [during, first!, later].every((id) => view.ids().has(id))), 10_000, 'both views to converge')
  })

  it('after a deepstream node is killed, a client behind the balancer reconnects and its live query converges', async (t: TestContext) => {
    const holder = await leader()
    // Kill the node that does not publish, so this is about the client alone.
    const victim = cluster.nodes.find((node) => node !== holder)!
    const survivor = holder
    const board = newBoard('node-kill')
    // Two kits through the balancer: leastconn puts them on different nodes.
    const watchers = [await kit('alice'), await kit('bob')]
    const views = watchers.map((watcher) => watchBoard(watcher, board))
    const reconnected = watchers.map(() => false)
    watchers.forEach((watcher, index) =>
      held.push(watcher.connection$.subscribe((status) => status === 'reconnecting' && (reconnected[index] = true))),
    )
    const { token } = await login('alice')
    const before = await writeTask(cluster.apiUrl, token, board, 'before')
    await until(() => views.every((view) => view.ids().has(before)), 5_000, 'the first write in both views')

    await victim.kill('SIGKILL')
    const killedAt = performance.now()
    // Written while one kit is cut off: a gap it must close by refetching.
    const during = [await writeTask(survivor.apiUrl, token, board, 'during 1'), await writeTask(survivor.apiUrl, token, board, 'during 2')]
    const converged = await until(
      () => views.every((view) => [before, ...during].every((id) => view.ids().has(id))),
      15_000,
      'both views to show every write',
    )
    t.diagnostic(`deepstream node killed → client converged: ${Math.round(performance.now() - killedAt)} ms`)
    assert.ok(converged >= 0)
    assert.ok(reconnected.some(Boolean), 'one kit was on the killed node and reconnected through the balancer')
    const after = await writeTask(cluster.apiUrl, token, board, 'after')
    await until(() => views.every((view) => view.ids().has(after)), 5_000, 'a later write in both views')
    await revive(victim)
  })

  it('when the bridge leader is killed, another takes over within the lease time, resyncs, and no write is lost', async (t: TestContext) => {
    const holder = await leader()
    const survivor = cluster.nodes.find((node) => node !== holder)!
    const board = newBoard('leader-kill')
    const { token } = await login('alice')
    const onSurvivor = await client(survivor.realtimeUrl, token)
    const resyncs = onSurvivor.record(RESYNC_TOPIC)
    // One kit on the surviving node (it never reconnects: only the resync
    // can tell it about writes nobody published), one behind the balancer.
    const views = [watchBoard(await kit('bob', survivor.realtimeUrl), board), watchBoard(await kit('alice'), board)]
    await sleep(300)

    const written: string[] = []
    let writing = true
    const writer = (async () => {
      for (let i = 0; writing && i < 200; i++) {
        written.push(await writeTask(survivor.apiUrl, token, board, `w${i}`))
        await sleep(40)
      }
    })()
    await sleep(300)
    await holder.kill('SIGKILL')
    const killedAt = performance.now()
    const resync = await resyncs.next((event) => event.reason === 'bridge lease taken', DEFAULT_LEASE.ttlMs + 5_000)
    const tookOver = performance.now() - killedAt
    t.diagnostic(`bridge leader killed → new leader's resync: ${Math.round(tookOver)} ms (lease ${DEFAULT_LEASE.ttlMs} ms)`)
    assert.ok(resync)
    assert.ok(tookOver <= DEFAULT_LEASE.ttlMs + DEFAULT_LEASE.acquireEveryMs + 1_000, `took over after ${Math.round(tookOver)} ms`)
    assert.equal((await leaseHolder())?.name, survivor.name)
    await sleep(500)
    writing = false
    await writer
    await until(() => views.every((view) => written.every((id) => view.ids().has(id))), 10_000, 'every write in every view')
    t.diagnostic(`${written.length} writes during the hand-over, all in both live queries`)
    await revive(holder)
  })

  it('hands the lease over at once when the leader stops cleanly (SIGTERM), and the node exits 0', async (t: TestContext) => {
    const holder = await leader()
    const survivor = cluster.nodes.find((node) => node !== holder)!
    const { token } = await login('alice')
    const resyncs = (await client(survivor.realtimeUrl, token)).record(RESYNC_TOPIC)
    await sleep(300)
    const stoppedAt = performance.now()
    const exit = holder.kill('SIGTERM')
    await resyncs.next((event) => event.reason === 'bridge lease taken', DEFAULT_LEASE.ttlMs)
    t.diagnostic(`leader stopped cleanly → new leader's resync: ${Math.round(performance.now() - stoppedAt)} ms`)
    assert.equal(await exit, 0, `the node exited cleanly:\n${holder.output()}`)
    // The last test: the cluster is stopped next, so the node stays down.
  })
})
