import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { SESSION_TOPIC, topicFor } from '../../contracts/realtime.ts'
import { startHostIdp, type HostIdp } from '../testing/host-idp.ts'
import { api, connectClient, sleep, within, type TestClient } from '../testing/realtime-clients.ts'
import { eventually } from '../testing/write-load.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { defaultVerifier } from '../lib/tokens.ts'
import { startRealtime } from './realtime-server.ts'

// Host-issued tokens on deepstream: the access claim on subscriptions (one
// by one and in a bulk message), logout ending open sessions, and a session
// extended in place by a refreshed token.

let idp: HostIdp
let stack: TestStack
let writer: string
const clients: TestClient[] = []

before(async () => {
  idp = await startHostIdp()
  stack = await startTestStack(idp.env())
  writer = (await stack.login('alice')).token
})
after(async () => {
  for (const client of clients) client.close()
  await stack?.close()
  await idp?.close()
})

async function connect(token: string): Promise<TestClient> {
  const client = await connectClient(stack.realtimeUrl, token)
  clients.push(client)
  return client
}

const task = (board: string) => ({ id: randomUUID(), board, title: 'probe', status: 'todo', order: 1 })

/** Resolves when `client` loses its connection. */
function disconnected(client: TestClient): Promise<void> {
  return new Promise((resolve) => client.client.on('connectionStateChanged', (state: string) => state !== 'OPEN' && resolve()))
}

/** Shows that a closed, revoked session cannot subscribe again: an event its subscription would see never arrives. */
async function receivesNothing(idle: TestClient): Promise<void> {
  // It cannot come back to subscribe: its reconnection with the revoked token is refused.
  const board = `idle-${randomUUID().slice(0, 8)}`
  const stolen = idle.record(topicFor('tasks', board))
  const watched = (await connect(writer)).record(topicFor('tasks', board))
  await sleep(300)
  const probe = task(board)
  await api(stack, 'POST', '/collections/tasks', writer, probe, 201)
  await watched.next((event) => event.doc?.id === probe.id)
  await sleep(300)
  assert.deepEqual(stolen.events, [])
  assert.notEqual(idle.client.getConnectionState(), 'OPEN')
}

describe('the access claim on deepstream', () => {
  for (const bulk of [false, true]) {
    it(`refuses a subscription to a partition the claim does not grant${bulk ? ', in one bulk message with a granted one' : ''}`, async () => {
      const suffix = randomUUID().slice(0, 8)
      const granted = `acme-${suffix}`
      const forbidden = `other-${suffix}`
      const token = idp.sign({ sub: 'host-gina', name: 'Gina', access: { 'tasks/acme-*': 'read' } })
      const client = await connect(token)
      // Subscribed in the same tick, the client sends both names in one bulk message.
      const [denied, allowed] = bulk
        ? [client.record(topicFor('tasks', forbidden)), client.record(topicFor('tasks', granted))]
        : [client.record(topicFor('tasks', forbidden)), undefined]
      await sleep(300)
      await api(stack, 'POST', '/collections/tasks', writer, task(forbidden), 201)
      if (allowed) {
        const probe = task(granted)
        await api(stack, 'POST', '/collections/tasks', writer, probe, 201)
        await allowed.next((event) => event.doc?.id === probe.id)
      } else {
        await eventually('the denial', () => client.errors.some((e) => e.event === 'MESSAGE_DENIED'), 10_000)
      }
      await sleep(300)
      assert.deepEqual(denied.events, [], 'an event of a partition the claim does not grant arrived')
    })
  }
})

describe('signing out on deepstream', () => {
  it('closes the open sessions of a revoked token and refuses its next login', async () => {
    const session = await stack.login('bob')
    const client = await connect(session.token)
    client.record(topicFor('tasks', 'launch'))
    await sleep(300)
    const closed = disconnected(client)
    await api(stack, 'POST', '/auth/logout', session.token, undefined, 200)
    await within(5_000, 'the revoked session to be closed', closed)
    await assert.rejects(connectClient(stack.realtimeUrl, session.token, 3_000))
  })

  it('closes a session that signed in and never acted, on every node, within a second of the logout, and it receives nothing after', async () => {
    // A second deepstream node on the same database: it learns of the revocation from the changefeed alone.
    const otherNode = await startRealtime({
      host: '127.0.0.1',
      port: 0,
      path: stack.config.realtimePath,
      verifier: defaultVerifier(),
      database: stack.config.database,
    })
    try {
      const session = await stack.login('bob')
      const idle = await connect(session.token)
      const idleElsewhere = await connectClient(otherNode.url, session.token)
      clients.push(idleElsewhere)
      const closed = Promise.all([disconnected(idle), disconnected(idleElsewhere)])
      await api(stack, 'POST', '/auth/logout', session.token, undefined, 200)
      // The bar is 1 s; the bound adds a little for a machine under load.
      await within(1_500, 'the idle revoked sessions to be closed', closed)
      await receivesNothing(idle)
    } finally {
      await otherNode.close()
    }
  })

  it('keeps the sessions of another token of the same user', async () => {
    const kept = await connect((await stack.login('bob')).token)
    const revoked = await stack.login('bob')
    await api(stack, 'POST', '/auth/logout', revoked.token, undefined, 200)
    const board = `kept-${randomUUID().slice(0, 8)}`
    const events = kept.record(topicFor('tasks', board))
    await sleep(300)
    const probe = task(board)
    await api(stack, 'POST', '/collections/tasks', writer, probe, 201)
    await events.next((event) => event.doc?.id === probe.id)
  })
})

describe('refreshing a session', () => {
  it('keeps the connection past the first token’s expiry when a fresh token is published on the session topic', async () => {
    const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s
    const shortLived = idp.sign({ sub: 'host-hal', name: 'Hal', exp: inSeconds(3) }, { noExpiry: true })
    const refreshing = await connect(shortLived)
    const control = await connect(idp.sign({ sub: 'host-ivy', name: 'Ivy', exp: inSeconds(3) }, { noExpiry: true }))
    const board = `refresh-${randomUUID().slice(0, 8)}`
    const events = refreshing.record(topicFor('tasks', board))
    control.record(topicFor('tasks', board))
    await sleep(300)
    refreshing.client.event.emit(SESSION_TOPIC, { token: idp.sign({ sub: 'host-hal', name: 'Hal' }) })
    // Someone else's fresh token must not extend a session.
    control.client.event.emit(SESSION_TOPIC, { token: idp.sign({ sub: 'host-hal', name: 'Hal' }) })
    await within(8_000, 'the unrefreshed session to end', disconnected(control))
    const probe = task(board)
    await api(stack, 'POST', '/collections/tasks', writer, probe, 201)
    await events.next((event) => event.doc?.id === probe.id)
    assert.equal(refreshing.client.getConnectionState(), 'OPEN')
  })
})
