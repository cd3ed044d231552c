import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import r from 'rethinkdb'
import type { Session } from '../../contracts/documents.ts'
import { topicFor } from '../../contracts/realtime.ts'
import { connectOptions } from '../db/connection.ts'
import { REVOCATIONS_EXPIRY_INDEX, REVOCATIONS_TABLE } from '../db/revocations.ts'
import { startHostIdp, type HostIdp } from '../testing/host-idp.ts'
import { api, connectClient, sleep, within, type TestClient } from '../testing/realtime-clients.ts'
import { eventually } from '../testing/write-load.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'

// A host token is never an rtkit account: its user id is `host:<sub>`, so a
// host whose `sub` is an rtkit account's (public) id is simply another user,
// over HTTP and on deepstream. Also: the revocation of one host user's token
// leaves another's with the same `jti` alone, and a `sub` of deepstream's
// hidden id `OPEN` is a visible user like any other.

let idp: HostIdp
let stack: TestStack
let alice: Session
let bob: Session
/** alice and bob's direct-message room, and alice's message in it. */
let room: string
let secret: { id: string; room: string; text: string }
/** A host token whose `sub` is alice's rtkit id. */
let posing: string
const clients: TestClient[] = []

before(async () => {
  idp = await startHostIdp()
  stack = await startTestStack(idp.env())
  alice = await stack.login('alice')
  bob = await stack.login('bob')
  room = `dm:${alice.user.id}:${bob.user.id}`
  secret = { id: randomUUID(), room, text: 'just between us' }
  await api(stack, 'POST', '/collections/messages', alice.token, secret, 201)
  posing = idp.sign({ sub: alice.user.id, name: 'Alice' })
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

const listing = (token: string) => stack.api('GET', `/collections/messages?room=${encodeURIComponent(room)}`, { token })

describe('a host token whose sub is an rtkit account’s id', () => {
  it('is another user, named host:<sub>', async () => {
    const me = await api(stack, 'GET', '/auth/me', posing)
    assert.equal(me.user.id, `host:${alice.user.id}`)
  })

  it('cannot read her direct messages', async () => {
    assert.equal((await listing(alice.token)).status, 200, 'alice reads her own room')
    const read = await listing(posing)
    assert.equal(read.status, 403)
    assert.ok(!JSON.stringify(read.body).includes(secret.text))
  })

  it('cannot edit her message', async () => {
    const edit = await stack.api('PATCH', `/collections/messages/${secret.id}`, {
      token: posing,
      body: { expectedVersion: 1, text: 'edited' },
    })
    assert.equal(edit.status, 403)
    const [stored] = (await listing(alice.token)).body.items
    assert.equal(stored.text, secret.text)
  })

  it('cannot post as her: its messages carry its own id, and her rooms are closed to it', async () => {
    const posted = await api(stack, 'POST', '/collections/messages', posing, { id: randomUUID(), room: 'lobby', text: 'hi' }, 201)
    assert.equal(posted.author, `host:${alice.user.id}`)
    const intoDm = await stack.api('POST', '/collections/messages', { token: posing, body: { id: randomUUID(), room, text: 'x' } })
    assert.equal(intoDm.status, 403)
  })

  it('does not receive her direct message on deepstream', async () => {
    const impostor = await connect(posing)
    const stolen = impostor.record(topicFor('messages', room))
    const received = (await connect(bob.token)).record(topicFor('messages', room))
    await eventually('the denial', () => impostor.errors.some((e) => e.event === 'MESSAGE_DENIED'), 10_000)
    // bob's subscription may still be on its way: post until one reaches him.
    for (let attempt = 1; ; attempt++) {
      const probe = { id: randomUUID(), room, text: 'live, just between us' }
      await api(stack, 'POST', '/collections/messages', alice.token, probe, 201)
      try {
        await received.next((event) => event.doc?.id === probe.id, 1_000)
        break
      } catch (error) {
        if (attempt === 10) throw error
      }
    }
    // The event reached bob; anything for the impostor went out at the same time.
    await sleep(300)
    assert.deepEqual(stolen.events, [])
  })

  it('can talk to her in a room of its own id and hers', async () => {
    const theirs = `dm:host:${alice.user.id}:${alice.user.id}`
    await api(stack, 'POST', '/collections/messages', posing, { id: randomUUID(), room: theirs, text: 'hello' }, 201)
    const read = await api(stack, 'GET', `/collections/messages?room=${encodeURIComponent(theirs)}`, alice.token)
    assert.equal(read.items.length, 1)
    const outsider = await stack.api('GET', `/collections/messages?room=${encodeURIComponent(theirs)}`, { token: bob.token })
    assert.equal(outsider.status, 403)
  })
})

describe('how host users appear to others', () => {
  it('names them by host:<sub> in GET /users, up to the longest sub accepted', async () => {
    const sub = `long-${'x'.repeat(117)}`
    const me = await api(stack, 'GET', '/auth/me', idp.sign({ sub, name: 'Long Name' }))
    assert.equal(me.user.id, `host:${sub}`)
    const named = await api(stack, 'GET', `/users?ids=${encodeURIComponent(me.user.id)},${alice.user.id}`, bob.token)
    assert.deepEqual(named.users.map((user: { name: string }) => user.name).sort(), [alice.user.name, 'Long Name'].sort())
  })
})

describe('revoking host tokens', () => {
  it('revokes only the token signed out, not another user’s token with the same jti', async () => {
    const carol = idp.sign({ sub: 'carol', name: 'Carol' }, { jwtid: 'session-1' })
    const dave = idp.sign({ sub: 'dave', name: 'Dave' }, { jwtid: 'session-1' })
    await api(stack, 'POST', '/auth/logout', carol, undefined, 200)
    assert.equal((await stack.api('GET', '/auth/me', { token: carol })).status, 401)
    assert.equal((await stack.api('GET', '/auth/me', { token: dave })).status, 200)
  })
})

describe('the revocations table', () => {
  it('is read and cleaned by key and by its expiresAt index, never by a scan', async () => {
    const conn = await r.connect(connectOptions(stack.config.database))
    try {
      const table = r.db(stack.config.database.db).table(REVOCATIONS_TABLE)
      assert.ok((await table.indexList().run(conn)).includes(REVOCATIONS_EXPIRY_INDEX))
      const expired = { id: `expired-${randomUUID()}`, userId: 'host:x', expiresAt: Math.floor(Date.now() / 1000) - 10, revokedAt: '' }
      await table.insert(expired).run(conn)
      const token = idp.sign({ sub: 'erin', name: 'Erin' })
      await api(stack, 'POST', '/auth/logout', token, undefined, 200)
      assert.equal(await table.get(expired.id).run(conn), null, 'the expired row was cleaned up')
      const rows = (await (await table.run(conn)).toArray()) as Array<{ userId: string }>
      assert.ok(rows.some((row) => row.userId === 'host:erin'))
    } finally {
      await conn.close()
    }
  })
})

describe('a host sub of OPEN (deepstream’s id for hidden service sessions)', () => {
  it('is a visible user in presence, not a hidden one', async () => {
    const lurker = idp.sign({ sub: 'OPEN', name: 'Lurker' })
    await connect(lurker)
    const watcher = await connect(alice.token)
    const online = (await within(5_000, 'presence', watcher.client.presence.getAll())) as string[]
    assert.ok(online.includes('host:OPEN'), `the host user is listed: ${JSON.stringify(online)}`)
    assert.ok(!online.includes('OPEN'))
  })
})
