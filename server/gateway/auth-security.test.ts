import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'
import r from 'rethinkdb'
import { connectOptions } from '../db/connection.ts'
import { issueToken } from '../lib/tokens.ts'
import { startHostIdp, type HostIdp } from '../testing/host-idp.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { startGateway, type RunningGateway } from './local-gateway.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'

// Embedding auth and the security review's findings, over HTTP against the
// real gateway, handlers and database: host-issued tokens and their access
// claim, logout, deleted users, service tokens, sign-in throttling, text
// that hides or spoofs, slow clients, and request targets.

let idp: HostIdp
let stack: TestStack

before(async () => {
  idp = await startHostIdp()
  stack = await startTestStack(idp.env())
})
after(async () => {
  await stack?.close()
  await idp?.close()
})

const task = (board: string, title = 'A task') => ({ id: randomUUID(), board, title, status: 'todo', order: 1 })

describe('host-issued tokens', () => {
  it('sign a host user in without an rtkit account: /auth/me answers from the claims and names them to others', async () => {
    const token = idp.sign({ sub: 'host-carol', name: 'Carol Host' })
    const me = await stack.api('GET', '/auth/me', { token })
    assert.equal(me.status, 200)
    assert.deepEqual(me.body.user, { id: 'host:host-carol', username: 'host-carol', name: 'Carol Host' })
    assert.equal(
      (await stack.rows('users')).some((row) => row.userId === 'host:host-carol'),
      false,
      'no account was made',
    )
    const { token: alice } = await stack.login('alice')
    const users = await stack.api('GET', '/users?ids=host:host-carol', { token: alice })
    assert.deepEqual(users.body.users, [{ id: 'host:host-carol', username: 'host-carol', name: 'Carol Host' }])
  })

  it('write what they create in their own name (message authors from the claims)', async () => {
    const token = idp.sign({ sub: 'host-dave', name: 'Dave Host' })
    const message = { id: randomUUID(), room: 'host-room', text: 'hello' }
    const created = await stack.api('POST', '/collections/messages', { token, body: message })
    assert.equal(created.status, 201)
    assert.equal(created.body.author, 'host:host-dave')
    assert.equal(created.body.authorName, 'Dave Host')
  })

  it('are refused without exp, with the wrong audience, and when signed with an unknown key', async () => {
    const noExp = idp.sign({ sub: 'host-carol' }, { noExpiry: true })
    const tokens = [noExp, idp.sign({ sub: 'host-carol' }, { audience: 'elsewhere' }), idp.sign({ sub: 'x' }, { kid: 'k1', keyid: 'nope' })]
    for (const token of tokens) assert.equal((await stack.api('GET', '/auth/me', { token })).status, 401)
  })
})

describe('the access claim', () => {
  const access = { 'tasks/acme-*': 'write', 'tasks/acme-archive': 'read', 'messages/acme-lobby': 'read' }
  const token = () => idp.sign({ sub: 'host-erin', name: 'Erin', access })

  it('lets a write grant write and read', async () => {
    const created = await stack.api('POST', '/collections/tasks', { token: token(), body: task('acme-launch') })
    assert.equal(created.status, 201)
    assert.equal((await stack.api('GET', '/collections/tasks?board=acme-launch', { token: token() })).status, 200)
  })

  it('refuses a write with a read grant (the more specific pattern wins), and writes nothing', async () => {
    const before = await stack.snapshot()
    assert.equal((await stack.api('POST', '/collections/tasks', { token: token(), body: task('acme-archive') })).status, 403)
    assert.equal(
      (await stack.api('POST', '/collections/messages', { token: token(), body: { id: randomUUID(), room: 'acme-lobby', text: 'hi' } }))
        .status,
      403,
    )
    assert.equal(await stack.snapshot(), before)
    assert.equal((await stack.api('GET', '/collections/tasks?board=acme-archive', { token: token() })).status, 200)
  })

  it('refuses any partition no pattern grants, for reading too', async () => {
    assert.equal((await stack.api('GET', '/collections/tasks?board=launch', { token: token() })).status, 403)
    assert.equal((await stack.api('GET', '/collections/messages?room=lobby', { token: token() })).status, 403)
  })

  it('refuses moving a task to a partition without a write grant, and changing one there', async () => {
    const created = await stack.api('POST', '/collections/tasks', { token: token(), body: task('acme-moves') })
    const moved = await stack.api('PATCH', `/collections/tasks/${created.body.id}`, {
      token: token(),
      body: { expectedVersion: 1, board: 'acme-archive' },
    })
    assert.equal(moved.status, 403)
    assert.equal(moved.body.error.message, 'you may not move this document of tasks to board "acme-archive"')
    const { token: alice } = await stack.login('alice')
    const archived = await stack.api('POST', '/collections/tasks', { token: alice, body: task('acme-archive') })
    const renamed = await stack.api('PATCH', `/collections/tasks/${archived.body.id}`, {
      token: token(),
      body: { expectedVersion: 1, title: 'mine now' },
    })
    assert.equal(renamed.status, 403)
    assert.equal(renamed.body.error.message, 'you may not change this document of tasks')
    assert.equal((await stack.api('DELETE', `/collections/tasks/${archived.body.id}`, { token: token() })).status, 403)
  })
})

describe('signing out', () => {
  it('revokes the token: it is refused afterwards, while another session of the same user keeps working', async () => {
    const first = await stack.login('bob')
    const second = await stack.login('bob')
    assert.equal((await stack.api('GET', '/auth/me', { token: first.token })).status, 200)
    const out = await stack.api('POST', '/auth/logout', { token: first.token })
    assert.deepEqual([out.status, out.body], [200, { revoked: true }])
    const after = await stack.api('GET', '/auth/me', { token: first.token })
    assert.deepEqual([after.status, after.body.error.message], [401, 'token revoked'])
    assert.equal((await stack.api('GET', '/auth/me', { token: second.token })).status, 200)
  })

  it('revokes a host token too', async () => {
    const token = idp.sign({ sub: 'host-frank', name: 'Frank' })
    assert.equal((await stack.api('POST', '/auth/logout', { token })).status, 200)
    assert.equal((await stack.api('GET', '/collections/tasks?board=launch', { token })).status, 401)
  })
})

describe('refused tokens', () => {
  it('refuses the token of a deleted user', async () => {
    const username = `gone${Date.now()}`
    const registered = await stack.api('POST', '/auth/register', { body: { username, password: 'long enough', name: 'Gone' } })
    assert.equal(registered.status, 201)
    const conn = await r.connect(connectOptions(stack.config.database))
    await r.table('users').get(username).delete().run(conn)
    await conn.close()
    const write = await stack.api('POST', '/collections/tasks', { token: registered.body.token, body: task('launch') })
    assert.deepEqual([write.status, write.body.error.message], [401, 'user no longer exists'])
  })

  it('refuses a service token over HTTP, even signed with rtkit’s own key', async () => {
    const service = issueToken({ id: 'service:bridge', username: 'service:bridge', name: 'bridge' }, 'service', stack.config.jwt).token
    assert.equal((await stack.api('GET', '/collections/messages?room=dm:a:b', { token: service })).status, 401)
  })
})

describe('sign-in throttling', () => {
  async function register(prefix: string): Promise<string> {
    const username = `${prefix}${Date.now()}`
    assert.equal((await stack.api('POST', '/auth/register', { body: { username, password: 'the right one', name: prefix } })).status, 201)
    return username
  }

  it('answers 429 with Retry-After after repeated failures for one username, while another user still signs in', async () => {
    const username = await register('flooded')
    const wrong = { username, password: 'not the password' }
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await stack.api('POST', '/auth/login', { body: wrong })).status)
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429])
    const blocked = await stack.api('POST', '/auth/login', { body: { username, password: 'the right one' } })
    assert.equal(blocked.status, 429, 'even the right password waits out the block')
    assert.ok(Number(blocked.headers.get('retry-after')) >= 1)
    assert.equal((await stack.api('POST', '/auth/login', { body: { username: 'bob', password: DEMO_PASSWORD } })).status, 200)
  })

  it('refuses a burst of concurrent attempts on one username without hashing them all', async () => {
    const wrong = { username: await register('burst'), password: 'not the password' }
    const statuses = await Promise.all(
      Array.from({ length: 12 }, async () => (await stack.api('POST', '/auth/login', { body: wrong })).status),
    )
    // At most two attempts per username hash at once; the rest are refused before hashing.
    assert.ok(statuses.filter((s) => s === 401).length <= 2, `statuses: ${statuses}`)
    assert.equal(statuses.filter((s) => s === 429).length + statuses.filter((s) => s === 401).length, 12)
  })
})

describe('text that hides or spoofs', () => {
  const cases: Array<[string, string]> = [
    ['a right-to-left override', 'Pay \u202Eexcel.exe'],
    ['a NUL', 'bad\u0000title'],
    ['a bell', 'ding\u0007'],
    ['only zero-width characters', '\u200B\u200C\u200D'],
  ]
  for (const [what, title] of cases) {
    it(`refuses a title with ${what} (422) and writes nothing`, async () => {
      const { token } = await stack.login('alice')
      const before = await stack.snapshot()
      const response = await stack.api('POST', '/collections/tasks', { token, body: task('launch', title) })
      assert.equal(response.status, 422)
      assert.equal(await stack.snapshot(), before)
    })
  }

  const messageCases: Array<[string, string]> = [
    ['a right-to-left override', 'Pay \u202Eexcel.exe'],
    ['a bell', 'ding\u0007'],
    ['a carriage return', 'one\rtwo'],
    ['a zero-width space', 'hi\u200Bthere'],
  ]
  for (const [what, text] of messageCases) {
    it(`refuses a message with ${what} (422) and writes nothing`, async () => {
      const { token } = await stack.login('alice')
      const before = await stack.snapshot()
      const response = await stack.api('POST', '/collections/messages', { token, body: { id: randomUUID(), room: 'spoof', text } })
      assert.deepEqual(
        [response.status, response.body.error.details?.issues?.[0]?.message],
        [422, 'must not contain control or format characters other than line breaks'],
      )
      assert.equal(await stack.snapshot(), before)
    })
  }

  it('refuses an edit of a message to control characters', async () => {
    const { token } = await stack.login('alice')
    const created = await stack.api('POST', '/collections/messages', { token, body: { id: randomUUID(), room: 'spoof', text: 'fine' } })
    const before = await stack.snapshot()
    const edited = await stack.api('PATCH', `/collections/messages/${created.body.id}`, {
      token,
      body: { expectedVersion: 1, text: 'ding\u0007' },
    })
    assert.equal(edited.status, 422)
    assert.equal(await stack.snapshot(), before)
  })

  it('refuses text with nothing visible that no other check refuses: a private-use character', async () => {
    const { token } = await stack.login('alice')
    const title = await stack.api('POST', '/collections/tasks', { token, body: task('launch', '\uE000') })
    const text = await stack.api('POST', '/collections/messages', { token, body: { id: randomUUID(), room: 'spoof', text: '\uE000' } })
    for (const response of [title, text]) {
      assert.deepEqual([response.status, response.body.error.details?.issues?.[0]?.message], [422, 'must contain a visible character'])
    }
  })

  const invisibleNames: Array<[string, string]> = [
    ['zero-width characters', '\u200B\u2060'],
    ['a Hangul filler', '\u3164'],
    ['two braille blanks', '\u2800\u2800'],
    ['a halfwidth Hangul filler', '\uFFA0'],
    ['a combining grapheme joiner', '\u034F'],
    ['combining marks', '\u0334\u0335\u0336'],
  ]
  for (const [what, name] of invisibleNames) {
    it(`refuses a display name that is only ${what}`, async () => {
      const response = await stack.api('POST', '/auth/register', {
        body: { username: `zw${randomUUID().slice(0, 8)}`, password: 'long enough', name },
      })
      assert.equal(response.status, 422)
    })
  }

  it('refuses a display name that hides a Hangul filler among letters, so it cannot pose as another', async () => {
    const response = await stack.api('POST', '/auth/register', {
      body: { username: `zw${randomUUID().slice(0, 8)}`, password: 'long enough', name: 'Ali\u3164ce' },
    })
    assert.deepEqual([response.status, response.body.error.details?.issues?.[0]?.message], [422, 'must not contain invisible characters'])
  })

  it('refuses a title of one letter under 199 combining marks', async () => {
    const { token } = await stack.login('alice')
    const response = await stack.api('POST', '/collections/tasks', { token, body: task('launch', 'a' + '\u0334'.repeat(199)) })
    assert.equal(response.status, 422)
    assert.match(response.body.error.details?.issues?.[0]?.message, /combining marks/)
  })

  it('keeps line breaks in messages and stores text in NFC', async () => {
    const { token } = await stack.login('alice')
    const created = await stack.api('POST', '/collections/messages', {
      token,
      body: { id: randomUUID(), room: 'nfc', text: 'line one\nCafe\u0301' },
    })
    assert.equal(created.status, 201)
    assert.equal(created.body.text, 'line one\nCaf\u00e9')
  })
})

describe('request targets', () => {
  async function raw(request: string): Promise<string> {
    const url = new URL(stack.apiUrl)
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.end(request))
      let answer = ''
      socket.on('data', (chunk) => (answer += chunk))
      socket.on('end', () => resolve(answer))
      socket.on('error', reject)
      socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')))
    })
  }

  for (const target of ['//evil.example/auth/me', 'http://evil.example/auth/me']) {
    it(`answers 400 to ${target}, never routing it by its path part`, async () => {
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
      assert.match(answer, /^HTTP\/1\.1 400 /)
      assert.match(answer, /single \//)
    })
  }
})

describe('slow and greedy clients', () => {
  let gateway: RunningGateway
  before(async () => {
    gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      corsOrigin: '',
      timeoutMs: 1_000,
      limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000, maxConnections: 3 },
    })
  })
  after(() => gateway?.close())

  function open(): Promise<net.Socket> {
    const url = new URL(gateway.url)
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => resolve(socket))
      socket.on('error', reject)
    })
  }

  function closed(socket: net.Socket, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (socket.destroyed || socket.readableEnded) return resolve(true)
      const timer = setTimeout(() => resolve(false), ms)
      socket.once('close', () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  it('closes a connection whose headers never finish (slowloris)', async () => {
    const socket = await open()
    socket.on('error', () => undefined)
    socket.write('GET /auth/me HTTP/1.1\r\nHost: x\r\n')
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200)
    try {
      assert.equal(await closed(socket, 5_000), true, 'the socket was still open after 5 s')
    } finally {
      clearInterval(drip)
      socket.destroy()
    }
  })

  it('refuses connections beyond the cap', async () => {
    const held = await Promise.all([open(), open(), open()])
    const extra = await open()
    extra.on('error', () => undefined)
    try {
      assert.equal(await closed(extra, 3_000), true, 'a fourth connection stayed open')
    } finally {
      for (const socket of [...held, extra]) socket.destroy()
    }
  })
})
