import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { DeepstreamClient } from '@deepstream/client'
import jwt from 'jsonwebtoken'
import { RESYNC_TOPIC, topicFor } from '../../contracts/realtime.ts'
import type { TestStack } from '../testing/test-stack.ts'
import { api, connectClient, login, startRealtimeTestStack, within, type TestClient } from '../testing/realtime-clients.ts'

// deepstream authentication and permissions, against the whole stack: the
// tokens come from the real login route, the events from the real bridge.

let stack: TestStack
let alice: { token: string; id: string }
let bob: { token: string; id: string }
const clients: TestClient[] = []

before(async () => {
  stack = await startRealtimeTestStack()
  const a = await login(stack, 'alice')
  const b = await login(stack, 'bob')
  alice = { token: a.token, id: a.user.id }
  bob = { token: b.token, id: b.user.id }
})
after(async () => {
  for (const client of clients) client.close()
  await stack.close()
})

async function connect(token: string): Promise<TestClient> {
  const client = await connectClient(stack.realtimeUrl, token)
  clients.push(client)
  return client
}

/** Claims shaped exactly like the ones `issueToken` signs. */
function claims(overrides: jwt.JwtPayload = {}): jwt.JwtPayload {
  const now = Math.floor(Date.now() / 1000)
  const { issuer, audience } = stack.config.jwt
  return {
    sub: alice.id,
    username: 'alice',
    name: 'Alice Martin',
    role: 'user',
    iss: issuer,
    aud: audience,
    iat: now,
    exp: now + 600,
    ...overrides,
  }
}

function sign(payload: jwt.JwtPayload, key = stack.config.jwt.signingKey): string {
  return jwt.sign(payload, key, { algorithm: stack.config.jwt.algorithm })
}

async function refused(token: string): Promise<void> {
  await assert.rejects(connectClient(stack.realtimeUrl, token), (error: unknown) => {
    assert.ok(!(error instanceof Error && /timed out/.test(error.message)), 'deepstream answered the login')
    return true
  })
}

function newTask(board: string) {
  return { id: randomUUID(), board, title: 'Permission probe', status: 'todo', order: 1 }
}

describe('authentication', () => {
  it('logs in with the token from POST /auth/login and exposes only the public profile', async () => {
    const client = new DeepstreamClient(stack.realtimeUrl)
    try {
      const clientData = await within(5_000, 'login', client.login({ token: alice.token }))
      assert.deepEqual(clientData, { id: alice.id, username: 'alice', name: 'Alice Martin' })
    } finally {
      client.close()
    }
  })

  it('accepts a token built by hand with the right key (control for the refusals below)', async () => {
    await connect(sign(claims()))
  })

  it('refuses a token signed with the wrong key', async () => {
    await refused(sign(claims(), 'not-the-rtkit-secret-but-long-enough-to-sign'))
  })

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 120
    await refused(sign(claims({ iat: past - 600, exp: past })))
  })

  it('refuses an unsigned token (alg: none)', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
    await refused(`${part({ alg: 'none', typ: 'JWT' })}.${part(claims())}.`)
  })

  it('ends a session when its token expires, and then delivers nothing more', async () => {
    const board = `expiry-${Date.now()}`
    // Long enough for two sign-ins, a write and its event on a busy machine; it expires while the test waits.
    const shortLived = sign(claims({ exp: Math.floor(Date.now() / 1000) + 6 }))
    const client = await connect(shortLived)
    const control = await connect(alice.token)
    const expiring = client.record(`tasks/${board}`)
    const watching = control.record(`tasks/${board}`)
    await new Promise((resolve) => setTimeout(resolve, 250)) // let the subscriptions reach the server
    await api(stack, 'POST', '/collections/tasks', alice.token, newTask(board), 201)
    await expiring.next((event) => event.op === 'upsert', 5_000)
    const closed = new Promise<void>((resolve) =>
      client.client.on('connectionStateChanged', (state: string) => state !== 'OPEN' && resolve()),
    )
    await within(12_000, 'the expired session to be closed', closed)
    const before = expiring.events.length
    const late = newTask(board)
    await api(stack, 'POST', '/collections/tasks', alice.token, late, 201)
    await watching.next((event) => event.op === 'upsert' && event.doc.id === late.id)
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.equal(expiring.events.length, before, 'no event after the token expired')
  })

  it('refuses a login without a token', async () => {
    await assert.rejects(connectClient(stack.realtimeUrl, undefined as unknown as string))
  })
})

describe('permissions', () => {
  it('lets a user see who is online (presence)', async () => {
    const a = await connect(alice.token)
    await connect(bob.token)
    const online = await within(5_000, 'presence', a.client.presence.getAll())
    assert.ok((online as string[]).includes(bob.id), `bob is online: ${JSON.stringify(online)}`)
    assert.ok(
      !(online as string[]).some((id) => id.startsWith('service:') || id === 'OPEN'),
      `the bridge is not a user: ${JSON.stringify(online)}`,
    )
  })

  it('does not deliver what a user publishes on a collection topic', async () => {
    const board = `forge-${randomUUID().slice(0, 8)}`
    const a = await connect(alice.token)
    const b = await connect(bob.token)
    const received = b.record(topicFor('tasks', board))
    await new Promise((resolve) => setTimeout(resolve, 200)) // let the subscription reach the server

    a.client.event.emit(topicFor('tasks', board), { op: 'remove', id: 'forged', version: 99 })
    await within(
      5_000,
      'the denial',
      waitUntil(() => a.errors.some((e) => e.event === 'MESSAGE_DENIED')),
    )
    // A real change on the same topic arrives, so bob was listening all along.
    const task = newTask(board)
    await api(stack, 'POST', '/collections/tasks', alice.token, task, 201)
    await received.next((event) => event.doc?.id === task.id)
    assert.deepEqual(
      received.events.filter((event) => event.id === 'forged'),
      [],
      'the forged event reached another subscriber',
    )
  })

  it('does not deliver what a user publishes on the resync topic', async () => {
    const board = `forge-${randomUUID().slice(0, 8)}`
    const a = await connect(alice.token)
    const b = await connect(bob.token)
    const resyncs = b.record(RESYNC_TOPIC)
    const changes = b.record(topicFor('tasks', board))
    await new Promise((resolve) => setTimeout(resolve, 200))

    a.client.event.emit(RESYNC_TOPIC, { reason: 'forged', at: new Date().toISOString() })
    await within(
      5_000,
      'the denial',
      waitUntil(() => a.errors.some((e) => e.event === 'MESSAGE_DENIED')),
    )
    const task = newTask(board)
    await api(stack, 'POST', '/collections/tasks', alice.token, task, 201)
    await changes.next((event) => event.doc?.id === task.id)
    assert.deepEqual(resyncs.events, [], 'the forged resync reached another subscriber')
  })

  for (const order of ['denied first', 'denied last'] as const) {
    it(`does not subscribe a user to a direct-message room they are not in (${order} in one batch)`, async () => {
      const dm = topicFor('messages', `dm:${alice.id}:${randomUUID().slice(0, 8)}`)
      const room = topicFor('messages', `room-${randomUUID().slice(0, 8)}`)
      const a = await connect(alice.token)
      const b = await connect(bob.token)
      const aliceDm = a.record(dm)
      // Subscribed together, so the client sends them in one bulk message.
      const [bobDm, bobRoom] =
        order === 'denied first'
          ? [b.record(dm), b.record(room)]
          : (() => {
              const roomRecorder = b.record(room)
              return [b.record(dm), roomRecorder]
            })()
      await new Promise((resolve) => setTimeout(resolve, 300))

      const secret = { id: randomUUID(), room: dm.slice('messages/'.length), text: 'for alice only' }
      await api(stack, 'POST', '/collections/messages', alice.token, secret, 201)
      await aliceDm.next((event) => event.doc?.id === secret.id)
      const open = { id: randomUUID(), room: room.slice('messages/'.length), text: 'for everyone' }
      await api(stack, 'POST', '/collections/messages', alice.token, open, 201)
      await bobRoom.next((event) => event.doc?.id === open.id)

      assert.deepEqual(bobDm.events, [], 'bob received a message of a room he is not in')
      assert.ok(
        b.errors.some((e) => e.event === 'MESSAGE_DENIED'),
        'bob was told the subscription was denied',
      )
    })
  }

  it('refuses listening (active providers) on collection topics', async () => {
    const a = await connect(alice.token)
    a.client.event.listen('tasks/.*', () => undefined)
    await within(
      5_000,
      'the denial',
      waitUntil(() => a.errors.some((e) => e.event === 'MESSAGE_DENIED')),
    )
  })
})

function waitUntil(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!condition()) return
      clearInterval(poll)
      resolve()
    }, 10)
    // The surrounding `within` bounds the wait; unref so a timeout cannot hold the process.
    poll.unref()
  })
}
