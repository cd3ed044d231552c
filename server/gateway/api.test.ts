import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import jwt from 'jsonwebtoken'
import { MAX_BODY_BYTES } from '../../contracts/errors.ts'
import { DEMO_BOARD, DEMO_PASSWORD, DEMO_ROOM } from '../db/seed.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'

// End to end through the real local gateway, handler modules, rethinkdb driver
// and the embedded RethinkDB-wire server.
// Over 300 lines on purpose: every route and every bad-input class against one
// running stack, started once (a second file would start a second stack).

let stack: TestStack
let alice: string
let bob: string
let bobId: string

before(async () => {
  stack = await startTestStack()
  alice = (await stack.login('alice')).token
  const bobSession = await stack.login('bob')
  bob = bobSession.token
  bobId = bobSession.user.id
})
after(() => stack.close())

function newTask(overrides: Record<string, unknown> = {}) {
  return { id: randomUUID(), board: 'api-test', title: 'A task', status: 'todo', order: 1, ...overrides }
}

/** Runs `act` and asserts that the database is byte-for-byte unchanged afterwards. */
async function writesNothing(act: () => Promise<void>): Promise<void> {
  const before = await stack.snapshot()
  await act()
  assert.equal(await stack.snapshot(), before, 'the request changed the database')
}

describe('auth routes', () => {
  it('registers, logs in and answers /auth/me', async () => {
    const username = `carol${Date.now()}`
    const registered = await stack.api('POST', '/auth/register', { body: { username, password: 'correct horse', name: 'Carol' } })
    assert.equal(registered.status, 201)
    assert.equal(registered.body.user.username, username)
    assert.ok(registered.body.token)
    const [stored] = (await stack.rows('users')).filter((u) => u.id === username)
    assert.match(stored.passwordHash, /^scrypt\$/, 'password is stored as a scrypt hash')
    assert.ok(!JSON.stringify(stored).includes('correct horse'))

    const login = await stack.api('POST', '/auth/login', { body: { username, password: 'correct horse' } })
    assert.equal(login.status, 200)
    const claims = jwt.decode(login.body.token) as jwt.JwtPayload
    assert.equal(claims.iss, 'rtkit')
    assert.equal(claims.aud, 'rtkit')
    assert.equal(claims.exp! - claims.iat!, 3600)

    const me = await stack.api('GET', '/auth/me', { token: login.body.token })
    assert.equal(me.status, 200)
    assert.deepEqual(me.body.user, registered.body.user)
  })

  it('refuses a taken username with 409 and writes nothing', async () => {
    await writesNothing(async () => {
      const response = await stack.api('POST', '/auth/register', { body: { username: 'ALICE', password: 'whatever123', name: 'Imposter' } })
      assert.equal(response.status, 409)
      assert.equal(response.body.error.code, 'conflict')
    })
  })

  it("gives the same 401 for an unknown user and a wrong password, one too short to be anyone's included", async () => {
    const unknown = await stack.api('POST', '/auth/login', { body: { username: 'nobody', password: 'rtkit-demo' } })
    const wrong = await stack.api('POST', '/auth/login', { body: { username: 'alice', password: 'not-the-password' } })
    const short = await stack.api('POST', '/auth/login', { body: { username: 'bob', password: 'wrong' } })
    assert.equal(unknown.status, 401)
    assert.equal(wrong.status, 401)
    assert.equal(short.status, 401)
    assert.deepEqual(unknown.body, wrong.body)
    assert.deepEqual(short.body, wrong.body)
  })

  it("marks every API answer no-store, a sign-in's token above all", async () => {
    const login = await stack.api('POST', '/auth/login', { body: { username: 'alice', password: DEMO_PASSWORD } })
    assert.equal(login.status, 200)
    assert.equal(login.headers.get('cache-control'), 'no-store')
    const refused = await stack.api('GET', '/auth/me')
    assert.equal(refused.status, 401)
    assert.equal(refused.headers.get('cache-control'), 'no-store')
  })

  it('rejects registration input that fails the schema with 422 and field details', async () => {
    await writesNothing(async () => {
      const response = await stack.api('POST', '/auth/register', { body: { username: 'x', password: 'short', name: '' } })
      assert.equal(response.status, 422)
      const paths = response.body.error.details.issues.map((i: { path: string }) => i.path).sort()
      assert.deepEqual(paths, ['name', 'password', 'username'])
    })
  })
})

describe('user profiles', () => {
  it('names the given user ids and leaves unknown ids out', async () => {
    const response = await stack.api('GET', `/users?ids=${bobId},${bobId},unknown-id`, { token: alice })
    assert.equal(response.status, 200)
    assert.deepEqual(response.body.users, [{ id: bobId, username: 'bob', name: 'Bob Okafor' }])
    assert.ok(!JSON.stringify(response.body).includes('passwordHash'))
  })
  it('requires a token and a bounded list of ids', async () => {
    assert.equal((await stack.api('GET', `/users?ids=${bobId}`)).status, 401)
    assert.equal((await stack.api('GET', '/users?ids=', { token: alice })).status, 422)
    const tooMany = Array.from({ length: 101 }, (_, i) => `id-${i}`).join(',')
    assert.equal((await stack.api('GET', `/users?ids=${tooMany}`, { token: alice })).status, 422)
  })
})

describe('collection routes', () => {
  it('creates, lists, updates and deletes a task', async () => {
    const task = newTask()
    const created = await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    assert.equal(created.status, 201)
    assert.equal(created.body.version, 1)
    assert.equal(created.body.createdBy, (jwt.decode(alice) as jwt.JwtPayload).sub)
    assert.ok(created.body.createdAt && created.body.updatedAt)

    const listed = await stack.api('GET', '/collections/tasks?board=api-test', { token: bob })
    assert.equal(listed.status, 200)
    assert.ok(listed.body.items.some((t: { id: string }) => t.id === task.id))

    const updated = await stack.api('PATCH', `/collections/tasks/${task.id}`, {
      token: bob,
      body: { expectedVersion: 1, title: 'Renamed', status: 'doing' },
    })
    assert.equal(updated.status, 200)
    assert.equal(updated.body.version, 2)
    assert.equal(updated.body.title, 'Renamed')
    assert.equal(updated.body.createdBy, created.body.createdBy, 'createdBy never changes')

    const removed = await stack.api('DELETE', `/collections/tasks/${task.id}`, { token: alice })
    assert.equal(removed.status, 200)
    assert.deepEqual(removed.body, { id: task.id, version: 3 })
    // The row is now the document's tombstone (written in the same write as the delete), which no listing shows.
    const [row] = (await stack.rows('tasks')).filter((t) => t.id === task.id)
    assert.deepEqual(Object.keys(row).sort(), ['deletedAt', 'deletedBy', 'id', 'tombstone', 'version'])
    assert.equal(row.version, 3)
    const relisted = await stack.api('GET', '/collections/tasks?board=api-test', { token: bob })
    assert.equal(
      relisted.body.items.some((t: { id: string }) => t.id === task.id),
      false,
    )
  })

  it('treats a repeated insert as a no-op returning the stored document', async () => {
    const task = newTask()
    const first = await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    await writesNothing(async () => {
      const again = await stack.api('POST', '/collections/tasks', { token: alice, body: { ...task, title: 'Different' } })
      assert.equal(again.status, 200)
      assert.deepEqual(again.body, first.body)
    })
  })

  it('answers another user reusing an existing id with 409, never the stored document', async () => {
    const room = `dm:${bobId}:${(jwt.decode(alice) as jwt.JwtPayload).sub}`
    const secret = { id: randomUUID(), room, text: 'just between us' }
    assert.equal((await stack.api('POST', '/collections/messages', { token: bob, body: secret })).status, 201)
    const carol = (
      await stack.api('POST', '/auth/register', { body: { username: `carol${Date.now()}`, password: 'correct horse', name: 'Carol' } })
    ).body.token
    await writesNothing(async () => {
      const reuse = await stack.api('POST', '/collections/messages', { token: carol, body: { ...secret, room: 'lobby', text: 'x' } })
      assert.equal(reuse.status, 409)
      assert.equal(reuse.body.error.details, undefined)
      assert.ok(!JSON.stringify(reuse.body).includes('just between us'))
    })
  })

  it('refuses to bring a deleted document back with a replayed insert', async () => {
    const task = newTask()
    await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    const removed = await stack.api('DELETE', `/collections/tasks/${task.id}`, { token: alice })
    assert.equal(removed.status, 200)
    await writesNothing(async () => {
      const replay = await stack.api('POST', '/collections/tasks', { token: alice, body: task })
      assert.equal(replay.status, 409)
      assert.deepEqual(replay.body.error.details, { deleted: { id: task.id, version: removed.body.version } })
      // Replays of an edit or of the delete itself find nothing to change.
      const edit = await stack.api('PATCH', `/collections/tasks/${task.id}`, { token: alice, body: { expectedVersion: 1, title: 'x' } })
      assert.equal(edit.status, 404)
      assert.equal((await stack.api('DELETE', `/collections/tasks/${task.id}`, { token: alice })).status, 404)
    })
  })

  it('answers a stale expectedVersion with 409 and the current document', async () => {
    const task = newTask()
    await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    await stack.api('PATCH', `/collections/tasks/${task.id}`, { token: alice, body: { expectedVersion: 1, order: 2 } })
    await writesNothing(async () => {
      const stale = await stack.api('PATCH', `/collections/tasks/${task.id}`, { token: bob, body: { expectedVersion: 1, title: 'Stale' } })
      assert.equal(stale.status, 409)
      assert.equal(stale.body.error.details.current.version, 2)
      assert.equal(stale.body.error.details.current.order, 2)
      const staleDelete = await stack.api('DELETE', `/collections/tasks/${task.id}?expectedVersion=1`, { token: bob })
      assert.equal(staleDelete.status, 409)
    })
  })

  it('moves a task to another board with a patch of board', async () => {
    const task = newTask()
    await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    const moved = await stack.api('PATCH', `/collections/tasks/${task.id}`, {
      token: alice,
      body: { expectedVersion: 1, board: 'elsewhere' },
    })
    assert.equal(moved.status, 200)
    const listed = await stack.api('GET', '/collections/tasks?board=elsewhere', { token: alice })
    assert.deepEqual(
      listed.body.items.map((t: { id: string }) => t.id),
      [task.id],
    )
  })

  it('pages through a partition with a cursor', async () => {
    const board = `paging-${Date.now()}`
    const ids = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const task = newTask({ board, order: i })
        await stack.api('POST', '/collections/tasks', { token: alice, body: task })
        return task.id
      }),
    )
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = `/collections/tasks?board=${board}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page = await stack.api('GET', query, { token: alice })
      assert.equal(page.status, 200)
      assert.ok(page.body.items.length <= 2)
      seen.push(...page.body.items.map((t: { id: string }) => t.id))
      cursor = page.body.nextCursor
      pages++
    } while (cursor && pages < 10)
    assert.equal(pages, 3)
    assert.deepEqual(seen, [...ids].sort())
  })

  it('answers a wrong method with 405 and the methods the path takes', async () => {
    const response = await stack.api('DELETE', '/collections/tasks', { token: alice })
    assert.equal(response.status, 405)
    assert.equal(response.headers.get('allow'), 'GET, POST')
    assert.equal(response.body.error.code, 'method_not_allowed')
  })

  it('says a missing partition is required, and a version that is not a number is not one (422)', async () => {
    const list = await stack.api('GET', '/collections/tasks', { token: alice })
    assert.equal(list.status, 422)
    assert.deepEqual(list.body.error.details.issues, [{ path: 'board', message: 'is required' }])
    const remove = await stack.api('DELETE', `/collections/tasks/${randomUUID()}?expectedVersion=abc`, { token: alice })
    assert.equal(remove.status, 422)
    assert.deepEqual(remove.body.error.details.issues, [{ path: 'expectedVersion', message: 'must be a version number' }])
  })

  it('reads numbers in a query as digits only, and a repeated one as not a number (422)', async () => {
    const task = newTask()
    await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    await writesNothing(async () => {
      for (const limit of ['0x2', '1e1', '+1', '1.0', '2,3', '']) {
        const page = await stack.api('GET', `/collections/tasks?board=api-test&limit=${encodeURIComponent(limit)}`, { token: alice })
        assert.equal(page.status, 422, `limit=${limit}`)
        assert.deepEqual(page.body.error.details.issues, [{ path: 'limit', message: 'must be a whole number' }], `limit=${limit}`)
      }
      for (const version of ['0x1', '1e0', '%201%20']) {
        const remove = await stack.api('DELETE', `/collections/tasks/${task.id}?expectedVersion=${version}`, { token: alice })
        assert.equal(remove.status, 422, `expectedVersion=${version}`)
      }
    })
  })

  it('refuses an expectedVersion where its route does not read it, instead of writing unconditionally (422)', async () => {
    const task = newTask()
    await stack.api('POST', '/collections/tasks', { token: alice, body: task })
    await writesNothing(async () => {
      const remove = await stack.api('DELETE', `/collections/tasks/${task.id}`, { token: alice, body: { expectedVersion: 9 } })
      assert.equal(remove.status, 422)
      assert.match(remove.body.error.details.issues[0].message, /^a DELETE takes no body: send expectedVersion in the query/)
      const patch = await stack.api('PATCH', `/collections/tasks/${task.id}?expectedVersion=9`, {
        token: alice,
        body: { expectedVersion: 1, title: 'Unasked' },
      })
      assert.equal(patch.status, 422)
      assert.deepEqual(patch.body.error.details.issues, [{ path: 'expectedVersion', message: 'Unrecognized key' }])
    })
  })

  it('takes ids in lower case only, so one UUID cannot name two documents (422)', async () => {
    const task = newTask()
    await writesNothing(async () => {
      const upper = await stack.api('POST', '/collections/tasks', { token: alice, body: { ...task, id: task.id.toUpperCase() } })
      assert.equal(upper.status, 422)
      assert.deepEqual(upper.body.error.details.issues, [{ path: 'id', message: 'must be a UUID in lower case' }])
    })
  })

  it('refuses text that is not valid Unicode (half a surrogate pair), 422', async () => {
    await writesNothing(async () => {
      const broken = await stack.api('POST', '/collections/tasks', { token: alice, body: newTask({ title: 'a\uD800b' }) })
      assert.equal(broken.status, 422)
      assert.deepEqual(broken.body.error.details.issues, [
        { path: 'title', message: 'must be valid Unicode (it holds half a surrogate pair)' },
      ])
    })
  })

  it('refuses a cursor no page gave (422), instead of an empty page', async () => {
    const page = await stack.api('GET', `/collections/tasks?board=${DEMO_BOARD}&cursor=zzz`, { token: alice })
    assert.equal(page.status, 422)
    assert.deepEqual(page.body.error.details.issues, [{ path: 'cursor', message: 'must be the nextCursor of an earlier page' }])
  })

  it('takes the message author from the token, never from the body', async () => {
    const id = randomUUID()
    await writesNothing(async () => {
      const forged = await stack.api('POST', '/collections/messages', {
        token: alice,
        body: { id, room: DEMO_ROOM, text: 'hi', author: bobId },
      })
      assert.equal(forged.status, 422, 'author is not a field a client may send')
    })
    const sent = await stack.api('POST', '/collections/messages', { token: alice, body: { id, room: DEMO_ROOM, text: 'hi' } })
    assert.equal(sent.status, 201)
    assert.equal(sent.body.author, (jwt.decode(alice) as jwt.JwtPayload).sub)
    assert.equal(sent.body.authorName, 'Alice Martin')
  })

  it('lets only the author edit or delete a message (403 otherwise, nothing written)', async () => {
    const message = { id: randomUUID(), room: DEMO_ROOM, text: 'mine' }
    await stack.api('POST', '/collections/messages', { token: alice, body: message })
    await writesNothing(async () => {
      const edit = await stack.api('PATCH', `/collections/messages/${message.id}`, {
        token: bob,
        body: { expectedVersion: 1, text: 'yours now' },
      })
      assert.equal(edit.status, 403)
      assert.equal(edit.body.error.code, 'forbidden')
      const remove = await stack.api('DELETE', `/collections/messages/${message.id}`, { token: bob })
      assert.equal(remove.status, 403)
    })
    const edit = await stack.api('PATCH', `/collections/messages/${message.id}`, {
      token: alice,
      body: { expectedVersion: 1, text: 'edited' },
    })
    assert.equal(edit.status, 200)
    assert.equal(edit.body.text, 'edited')
  })

  it('keeps direct-message rooms to their two members (403 to read or write)', async () => {
    const room = `dm:${bobId}:someone-else`
    const listing = await stack.api('GET', `/collections/messages?room=${encodeURIComponent(room)}`, { token: alice })
    assert.equal(listing.status, 403)
    await writesNothing(async () => {
      const send = await stack.api('POST', '/collections/messages', { token: alice, body: { id: randomUUID(), room, text: 'psst' } })
      assert.equal(send.status, 403)
    })
    const own = await stack.api('GET', `/collections/messages?room=${encodeURIComponent(room)}`, { token: bob })
    assert.equal(own.status, 200)
    const crowd = await stack.api('GET', `/collections/messages?room=${encodeURIComponent(`${room}:third`)}`, { token: bob })
    assert.equal(crowd.status, 403, 'a dm room has exactly two members')
  })
})

describe('bad input writes nothing', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
    [
      'malformed JSON',
      () => stack.api('POST', '/collections/tasks', { token: alice, raw: '{"id": ', headers: { 'content-type': 'application/json' } }),
      400,
      'bad_request',
    ],
    [
      'a title over 200 characters',
      () => stack.api('POST', '/collections/tasks', { token: alice, body: newTask({ title: 'x'.repeat(201) }) }),
      422,
      'validation_failed',
    ],
    [
      'an unknown status',
      () => stack.api('POST', '/collections/tasks', { token: alice, body: newTask({ status: 'blocked' }) }),
      422,
      'validation_failed',
    ],
    [
      'a non-UUID id',
      () => stack.api('POST', '/collections/tasks', { token: alice, body: newTask({ id: '1' }) }),
      422,
      'validation_failed',
    ],
    [
      'an unknown field',
      () => stack.api('POST', '/collections/tasks', { token: alice, body: newTask({ version: 99 }) }),
      422,
      'validation_failed',
    ],
    [
      'a message over 2000 characters',
      () => stack.api('POST', '/collections/messages', { token: alice, body: { id: randomUUID(), room: 'lobby', text: 'y'.repeat(2001) } }),
      422,
      'validation_failed',
    ],
    [
      'a patch without expectedVersion',
      () => stack.api('PATCH', '/collections/tasks/10000000-0000-4000-8000-000000000001', { token: alice, body: { title: 'x' } }),
      422,
      'validation_failed',
    ],
    [
      'an empty patch',
      () => stack.api('PATCH', '/collections/tasks/10000000-0000-4000-8000-000000000001', { token: alice, body: { expectedVersion: 1 } }),
      422,
      'validation_failed',
    ],
    ['a list without its partition', () => stack.api('GET', '/collections/tasks', { token: alice }), 422, 'validation_failed'],
    ['no token', () => stack.api('POST', '/collections/tasks', { body: newTask() }), 401, 'unauthorized'],
    [
      'a token signed with another key',
      () => stack.api('POST', '/collections/tasks', { token: forge({ key: 'another-secret-that-is-long-enough-1234' }), body: newTask() }),
      401,
      'unauthorized',
    ],
    ['an alg:none token', () => stack.api('POST', '/collections/tasks', { token: unsignedToken(), body: newTask() }), 401, 'unauthorized'],
    ['a tampered payload', () => stack.api('POST', '/collections/tasks', { token: tamper(alice), body: newTask() }), 401, 'unauthorized'],
    [
      'an expired token',
      () => stack.api('POST', '/collections/tasks', { token: forge({ expiresIn: -10 }), body: newTask() }),
      401,
      'unauthorized',
    ],
    [
      'a token for another audience',
      () => stack.api('POST', '/collections/tasks', { token: forge({ audience: 'someone-else' }), body: newTask() }),
      401,
      'unauthorized',
    ],
    ['an unknown collection', () => stack.api('POST', '/collections/secrets', { token: alice, body: newTask() }), 404, 'not_found'],
    [
      'an unknown id',
      () => stack.api('PATCH', `/collections/tasks/${randomUUID()}`, { token: alice, body: { expectedVersion: 1, title: 'x' } }),
      404,
      'not_found',
    ],
    ['deleting an unknown id', () => stack.api('DELETE', `/collections/tasks/${randomUUID()}`, { token: alice }), 404, 'not_found'],
    ['an unknown route', () => stack.api('GET', '/nowhere', { token: alice }), 404, 'not_found'],
    [
      'a body over 64 KiB',
      () => stack.api('POST', '/collections/tasks', { token: alice, body: newTask({ title: 'z'.repeat(MAX_BODY_BYTES) }) }),
      413,
      'payload_too_large',
    ],
    [
      'a body far over the gateway cap',
      () =>
        stack.api('POST', '/collections/tasks', {
          token: alice,
          raw: 'z'.repeat(MAX_BODY_BYTES * 8),
          headers: { 'content-type': 'application/json' },
        }),
      413,
      'payload_too_large',
    ],
    [
      'a body that is not JSON',
      () =>
        stack.api('POST', '/collections/tasks', {
          token: alice,
          raw: 'title=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      415,
      'unsupported_media_type',
    ],
    [
      'a JSON body in a charset other than UTF-8',
      () =>
        stack.api('POST', '/collections/tasks', {
          token: alice,
          raw: Buffer.from(JSON.stringify(newTask({ title: 'Café' })), 'latin1').toString('latin1'),
          headers: { 'content-type': 'application/json; charset=latin1' },
        }),
      415,
      'unsupported_media_type',
    ],
  ]
  for (const [what, act, status, code] of cases) {
    it(`answers ${what} with ${status} ${code}`, async () => {
      await writesNothing(async () => {
        const response = await act()
        assert.equal(response.status, status)
        assert.equal(response.body.error.code, code)
        assert.equal(typeof response.body.error.message, 'string')
        assert.ok(!JSON.stringify(response.body).includes('    at '), 'no stack trace')
        assert.match(
          (response as { headers?: Headers }).headers?.get('x-request-id') ?? '',
          /^[0-9a-f-]{36}$/,
          'every answer names its request',
        )
      })
    })
  }

  it('answers a body of 5,000 unknown fields with a 422 that names the first few, not every one', async () => {
    const body: Record<string, unknown> = newTask()
    for (let i = 0; i < 5_000; i++) body[`f${i}`] = 0
    assert.ok(JSON.stringify(body).length < MAX_BODY_BYTES, 'under the size limit, so it reaches validation')
    await writesNothing(async () => {
      const response = await stack.api('POST', '/collections/tasks', { token: alice, body })
      assert.equal(response.status, 422)
      const { message, details } = response.body.error
      assert.ok(JSON.stringify(response.body).length < 4_096, `a ${JSON.stringify(response.body).length}-character answer`)
      assert.deepEqual(
        details.issues.map((issue: { path: string }) => issue.path),
        Array.from({ length: 20 }, (_, i) => `f${i}`),
        'each unknown field is an issue at its own path',
      )
      assert.equal(details.omitted, 4_980)
      assert.match(message, /^f0: Unrecognized key; f1: .*; and 4980 more$/)
    })
  })
})

describe('answers', () => {
  it('carry their length, as API Gateway sends them, instead of being chunked', async () => {
    const created = await stack.api('POST', '/collections/tasks', { token: alice, body: newTask() })
    const refused = await stack.api('GET', '/nowhere', { token: alice })
    for (const answer of [created, refused]) {
      assert.equal(answer.headers.get('transfer-encoding'), null)
      assert.equal(Number(answer.headers.get('content-length')), Buffer.byteLength(JSON.stringify(answer.body)))
    }
    const preflight = await fetch(`${stack.apiUrl}/collections/tasks`, { method: 'OPTIONS' })
    assert.equal(preflight.headers.get('content-length'), null, 'a 204 has no length')
  })
})

describe('CORS', () => {
  it('answers preflight requests and tags responses in development', async () => {
    const preflight = await fetch(`${stack.apiUrl}/collections/tasks`, { method: 'OPTIONS' })
    assert.equal(preflight.status, 204)
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*')
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/)
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/)
    const response = await stack.api('GET', `/collections/tasks?board=${DEMO_BOARD}`, { token: alice })
    assert.equal(response.headers.get('access-control-allow-origin'), '*')
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /x-request-id/)
    assert.equal(response.headers.get('access-control-allow-methods'), null, "the preflight's alone")
  })
})

function forge(options: { key?: string; expiresIn?: number; audience?: string }): string {
  const key = options.key ?? stack.config.jwt.signingKey
  return jwt.sign({ username: 'alice', name: 'Alice', role: 'user' }, key, {
    algorithm: 'HS256',
    subject: '00000000-0000-4000-8000-00000000a11c',
    issuer: 'rtkit',
    audience: options.audience ?? 'rtkit',
    expiresIn: options.expiresIn ?? 60,
  })
}

function unsignedToken(): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: '00000000-0000-4000-8000-00000000a11c', username: 'alice', name: 'Alice', role: 'user', iss: 'rtkit', aud: 'rtkit', iat: now, exp: now + 60 })}.`
}

function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
  claims.role = 'service'
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
}
