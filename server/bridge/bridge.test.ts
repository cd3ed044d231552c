import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { RESYNC_TOPIC, topicFor } from '../../contracts/realtime.ts'
import {
  api,
  connectClient,
  login,
  reconnection,
  startRealtimeTestStack,
  within,
  type EventRecorder,
  type TestClient,
} from '../testing/realtime-clients.ts'
import type { TestStack } from '../testing/test-stack.ts'

// The bridge end to end: HTTP writes go through the gateway into the
// database, the changefeed bridge publishes them, a logged-in deepstream
// client receives them. Then the faults: a dropped database connection and
// a deepstream restart.

let stack: TestStack
let token: string
const clients: TestClient[] = []

before(async () => {
  stack = await startRealtimeTestStack()
  token = (await login(stack, 'alice')).token
})
after(async () => {
  for (const client of clients) client.close()
  await stack.close()
})

async function subscriber(): Promise<TestClient> {
  const client = await connectClient(stack.realtimeUrl, (await login(stack, 'bob')).token)
  clients.push(client)
  return client
}

/** Subscribes and gives the subscription time to reach the server. */
async function recordAll(client: TestClient, ...topics: string[]): Promise<EventRecorder[]> {
  const recorders = topics.map((topic) => client.record(topic))
  await new Promise((resolve) => setTimeout(resolve, 250))
  return recorders
}

const board = () => `bridge-${randomUUID().slice(0, 8)}`
const createTask = (onBoard: string) =>
  api(
    stack,
    'POST',
    '/collections/tasks',
    token,
    { id: randomUUID(), board: onBoard, title: 'Bridge probe', status: 'todo', order: 1 },
    201,
  )

describe('changefeed → deepstream', () => {
  it('publishes insert, update, move between boards and delete with the right op, doc and version', async () => {
    const [from, to] = [board(), board()]
    const client = await subscriber()
    const [onFrom, onTo] = await recordAll(client, topicFor('tasks', from), topicFor('tasks', to))

    const created = await createTask(from)
    const inserted = await onFrom!.next((e) => e.doc?.id === created.id)
    assert.deepEqual(inserted, { op: 'upsert', doc: created, version: 1 })

    const updated = await api(stack, 'PATCH', `/collections/tasks/${created.id}`, token, { expectedVersion: 1, status: 'doing' })
    const update = await onFrom!.next((e) => e.doc?.id === created.id && e.version === 2)
    assert.deepEqual(update, { op: 'upsert', doc: updated, version: 2 })

    const moved = await api(stack, 'PATCH', `/collections/tasks/${created.id}`, token, { expectedVersion: 2, board: to })
    assert.deepEqual(await onFrom!.next((e) => e.op === 'remove'), { op: 'remove', id: created.id, version: 3 })
    assert.deepEqual(await onTo!.next((e) => e.doc?.id === created.id), { op: 'upsert', doc: moved, version: 3 })

    const removed = await api(stack, 'DELETE', `/collections/tasks/${created.id}`, token)
    assert.deepEqual(await onTo!.next((e) => e.op === 'remove'), { op: 'remove', id: created.id, version: removed.version })
    assert.equal(removed.version, 4)

    // The old board saw exactly: insert, update, leave.
    assert.deepEqual(
      onFrom!.events.map((e) => `${e.op}@${e.version}`),
      ['upsert@1', 'upsert@2', 'remove@3'],
    )
    assert.deepEqual(
      onTo!.events.map((e) => `${e.op}@${e.version}`),
      ['upsert@3', 'remove@4'],
    )
  })

  it('publishes messages on their room topic', async () => {
    const room = `room-${randomUUID().slice(0, 8)}`
    const client = await subscriber()
    const [onRoom] = await recordAll(client, topicFor('messages', room))
    const message = await api(stack, 'POST', '/collections/messages', token, { id: randomUUID(), room, text: 'hello' }, 201)
    assert.deepEqual(await onRoom!.next((e) => e.doc?.id === message.id), { op: 'upsert', doc: message, version: 1 })
  })
})

describe('faults', () => {
  it('after the database connection drops, reconnects, announces a resync, and later writes still arrive', async () => {
    const onBoard = board()
    const client = await subscriber()
    const [resyncs, changes] = await recordAll(client, RESYNC_TOPIC, topicFor('tasks', onBoard))
    assert.ok(stack.embedded, 'this test needs the embedded database')

    stack.embedded.dropConnections()
    const resync = await resyncs!.next(() => true, 10_000)
    assert.equal(typeof resync.reason, 'string')
    assert.ok(!Number.isNaN(Date.parse(resync.at)), 'resync carries a timestamp')

    const created = await createTask(onBoard)
    await changes!.next((e) => e.doc?.id === created.id)
  })

  it('after a deepstream restart, clients and the bridge reconnect and later writes arrive', async () => {
    const onBoard = board()
    const client = await subscriber()
    const [changes] = await recordAll(client, topicFor('tasks', onBoard))

    const back = reconnection(client.client)
    await within(10_000, 'the restart', stack.realtime.restart())
    await back

    // The bridge reconnects on its own schedule; write until its first event
    // arrives (bounded), then every later write must arrive too.
    let arrived = false
    for (let attempt = 0; attempt < 20 && !arrived; attempt++) {
      const probe = await createTask(onBoard)
      arrived = await changes!
        .next((e) => e.doc?.id === probe.id, 500)
        .then(
          () => true,
          () => false,
        )
    }
    assert.ok(arrived, 'no write arrived after the restart')
    const later = await createTask(onBoard)
    await changes!.next((e) => e.doc?.id === later.id)
  })

  it('skips a malformed change and keeps publishing', async () => {
    const onBoard = board()
    const client = await subscriber()
    const [changes] = await recordAll(client, topicFor('tasks', onBoard))
    // A row without a partition or version cannot become an event.
    const r = (await import('rethinkdb')).default
    const { connectOptions } = await import('../db/connection.ts')
    const conn = await r.connect(connectOptions(stack.config.database))
    try {
      await r.table('tasks').insert({ id: randomUUID(), title: 'no board, no version' }).run(conn)
    } finally {
      await conn.close()
    }
    const created = await createTask(onBoard)
    await changes!.next((e) => e.doc?.id === created.id)
  })
})
