import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { request } from 'node:http'
import { networkInterfaces } from 'node:os'
import { after, before, describe, it } from 'node:test'
import r from 'rethinkdb'
import { connectOptions } from '../db/connection.ts'
import { THROTTLE_TABLE } from '../db/throttle-rows.ts'
import { ACCOUNT_POLICY, BLOCK_RECHECK_MS, PAIR_POLICY, REGISTRATION_LIMIT } from '../lib/login-throttle.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { startGateway } from './local-gateway.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'

// Sign-in and registration limits as an attacker meets them, over HTTP
// against the real gateway, handlers and database. The stack trusts
// X-Forwarded-For (as behind the cluster's HAProxy), so each request says
// which address it comes from.

let stack: TestStack

before(async () => {
  stack = await startTestStack({ RTKIT_TRUST_PROXY: 'true' })
})
after(() => stack?.close())

const PASSWORD = 'the right one'
let addresses = 0
/** A fresh client address. */
const address = () => `198.51.100.${++addresses}`

const login = (username: string, password: string, from: string) =>
  stack.api('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': from } })

async function register(prefix: string, from = address()): Promise<string> {
  const username = `${prefix}${randomUUID().slice(0, 8)}`
  const response = await stack.api('POST', '/auth/register', {
    body: { username, password: PASSWORD, name: prefix },
    headers: { 'x-forwarded-for': from },
  })
  assert.equal(response.status, 201)
  return username
}

async function withDatabase<T>(use: (conn: r.Connection) => Promise<T>): Promise<T> {
  const conn = await r.connect(connectOptions(stack.config.database))
  try {
    return await use(conn)
  } finally {
    await conn.close()
  }
}

describe('housekeeping', () => {
  // First in the file: a process deletes expired rows on its first attempt, then every 10 minutes.
  it('deletes throttle rows whose time has passed and keeps the others', async () => {
    const now = Date.now()
    const row = (id: string, expiresAt: number) => ({ id, failures: 9, lastFailureAt: now - 1, blockedUntil: 0, expiresAt, rev: 1 })
    await withDatabase((conn) =>
      r
        .table(THROTTLE_TABLE)
        .insert([row('pair:old|192.0.2.1', now - 60_000), row('user:old', now - 1), row('pair:live|192.0.2.1', now + 60_000)])
        .run(conn),
    )
    assert.equal((await login('bob', DEMO_PASSWORD, address())).status, 200)
    const ids = (await stack.rows(THROTTLE_TABLE)).map((kept) => kept.id)
    assert.ok(!ids.includes('pair:old|192.0.2.1') && !ids.includes('user:old'), `kept: ${ids}`)
    assert.ok(ids.includes('pair:live|192.0.2.1'))
  })
})

describe('sign-in throttling per account and address', () => {
  it('blocks a guesser’s address while the owner signs in from another', async () => {
    const username = await register('targeted')
    const attacker = address()
    const statuses: number[] = []
    for (let i = 0; i <= PAIR_POLICY.free; i++) statuses.push((await login(username, 'not the password', attacker)).status)
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429])
    assert.equal((await login(username, PASSWORD, attacker)).status, 429, 'the guesser’s address waits, right password or not')
    assert.equal((await login(username, PASSWORD, address())).status, 200, 'the owner, elsewhere, is not locked out')
  })

  it('refuses a blocked pair until its block ends, and lets it in after', async () => {
    const username = await register('waiting')
    const from = address()
    for (let i = 0; i < PAIR_POLICY.free; i++) assert.equal((await login(username, 'not the password', from)).status, 401)
    for (let i = 0; i < 3; i++) {
      const refused = await login(username, PASSWORD, from)
      assert.equal(refused.status, 429)
      assert.equal(Number(refused.headers.get('retry-after')), PAIR_POLICY.baseMs / 1000, 'the first block lasts the base time')
    }
    await new Promise((resolve) => setTimeout(resolve, PAIR_POLICY.baseMs + 100))
    assert.equal((await login(username, PASSWORD, from)).status, 200, 'the right password gets in once the block has ended')
    assert.equal((await login(username, PASSWORD, from)).status, 200, 'and again: a success clears the pair')
  })

  it('refuses a blocked pair from memory, without reading its row again, until the block ends', async () => {
    const username = await register('flooded')
    const from = address()
    await withDatabase(async (conn) => {
      // One connection, opened first: the block lasts 1 s, and the delete must not take a share of it.
      for (let i = 0; i < PAIR_POLICY.free; i++) assert.equal((await login(username, 'not the password', from)).status, 401)
      // With the row gone, an attempt that read it would find no block and get in.
      await r.table(THROTTLE_TABLE).get(`pair:${username}|${from}`).delete().run(conn)
      const refused = await login(username, PASSWORD, from)
      assert.equal(refused.status, 429, 'the block this process wrote holds without a query')
      assert.equal(Number(refused.headers.get('retry-after')), PAIR_POLICY.baseMs / 1000)
    })
    await new Promise((resolve) => setTimeout(resolve, PAIR_POLICY.baseMs + 100))
    assert.equal((await login(username, PASSWORD, from)).status, 200, 'and ends when the block does')
  })

  it(`trusts a remembered block for ${BLOCK_RECHECK_MS / 1000} s at most: a block lifted elsewhere is seen then`, async () => {
    const username = await register('lifted')
    const from = address()
    const wrong = () => login(username, 'not the password', from)
    for (let i = 0; i < PAIR_POLICY.free; i++) assert.equal((await wrong()).status, 401)
    // Each failure after a block ends doubles the next: 1 s, then 2 s, then 4 s, longer than the recheck.
    for (const blockMs of [PAIR_POLICY.baseMs, 2 * PAIR_POLICY.baseMs]) {
      await new Promise((resolve) => setTimeout(resolve, blockMs + 100))
      assert.equal((await wrong()).status, 401)
    }
    // A success in another process resets the row; here it is deleted, which reads the same.
    await withDatabase((conn) => r.table(THROTTLE_TABLE).get(`pair:${username}|${from}`).delete().run(conn))
    await new Promise((resolve) => setTimeout(resolve, BLOCK_RECHECK_MS + 100))
    assert.equal((await login(username, PASSWORD, from)).status, 200, 'the row is read again, and the block is gone')
  })

  it('counts concurrent attempts exactly: pairs of simultaneous wrong passwords hash only the free five', async () => {
    const username = await register('racing')
    const from = address()
    const statuses: number[] = []
    for (let round = 0; round < 3; round++) {
      statuses.push(...(await Promise.all([1, 2].map(async () => (await login(username, 'not the password', from)).status))))
    }
    assert.deepEqual(
      statuses.sort(),
      [401, 401, 401, 401, 401, 429],
      'each attempt is counted before its password is hashed, so two at once cannot read the same count',
    )
  })

  it(`stops guessing on one account from many addresses after ${ACCOUNT_POLICY.free} failures, except from the owner’s known address`, async () => {
    const username = await register('ceiling')
    const home = address()
    assert.equal((await login(username, PASSWORD, home)).status, 200, 'the owner signs in from home once')
    const guessers = Array.from({ length: ACCOUNT_POLICY.free / PAIR_POLICY.free }, address)
    const statuses = (
      await Promise.all(
        guessers.map(async (from) => {
          const answers: number[] = []
          for (let i = 0; i < PAIR_POLICY.free; i++) answers.push((await login(username, 'not the password', from)).status)
          return answers
        }),
      )
    ).flat()
    assert.deepEqual(new Set(statuses), new Set([401]), 'every guesser had its five free attempts')
    const fresh = await login(username, PASSWORD, address())
    assert.equal(fresh.status, 429, 'past the ceiling, an address the account has not signed in from waits')
    assert.ok(Number(fresh.headers.get('retry-after')) >= 1)
    assert.equal((await login(username, PASSWORD, home)).status, 200, 'the owner’s known address still signs in')
  })
})

describe('registration', () => {
  it(`refuses one account more than ${REGISTRATION_LIMIT.max} from one address within the hour with 429 and Retry-After, and makes nothing`, async () => {
    const from = address()
    for (let i = 0; i < REGISTRATION_LIMIT.max; i++) await register('bulk', from)
    const before = await stack.snapshot()
    const refused = await stack.api('POST', '/auth/register', {
      body: { username: `bulk${randomUUID().slice(0, 8)}`, password: PASSWORD, name: 'bulk' },
      headers: { 'x-forwarded-for': from },
    })
    assert.equal(refused.status, 429)
    assert.match(refused.body.error.message, /registered 20 accounts within 60 minutes/)
    const retryAfter = Number(refused.headers.get('retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After: ${retryAfter}`)
    assert.equal(await stack.snapshot(), before, 'no account was made')
    await register('bulk', address()) // another address still registers
  })

  it('does not count a refused registration (a taken username) against the address', async () => {
    const from = address()
    const taken = await register('taken', from)
    for (let i = 0; i < 3; i++) {
      const again = await stack.api('POST', '/auth/register', {
        body: { username: taken, password: PASSWORD, name: 'again' },
        headers: { 'x-forwarded-for': from },
      })
      assert.equal(again.status, 409)
    }
    const row = (await stack.rows(THROTTLE_TABLE)).find((kept) => kept.id === `registered:${from}`)
    assert.equal(row?.failures, 1)
  })
})

describe('RTKIT_TRUST_PROXY=loopback (npm start with the demo page)', () => {
  // A client on another machine reaches the gateway directly: it must not choose its address.
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address

  it(
    'ignores X-Forwarded-For from a peer that is not on loopback',
    { skip: outside ? false : 'no non-loopback IPv4 address here' },
    async () => {
      const gateway = await startGateway({ host: '0.0.0.0', port: 0, corsOrigin: '', timeoutMs: 10_000, trustProxy: 'loopback' })
      try {
        const port = new URL(gateway.url).port
        const username = await register('direct')
        const attempt = (claimed: string) =>
          new Promise<number>((resolve, reject) => {
            const outgoing = request(
              `http://${outside}:${port}/auth/login`,
              { method: 'POST', localAddress: outside, headers: { 'content-type': 'application/json', 'x-forwarded-for': claimed } },
              (response) => {
                response.resume()
                response.on('end', () => resolve(response.statusCode ?? 0))
              },
            )
            outgoing.on('error', reject)
            outgoing.end(JSON.stringify({ username, password: 'not the password' }))
          })
        const statuses: number[] = []
        // A new claimed address each time: trusted, every attempt would be a fresh pair.
        for (let i = 0; i <= PAIR_POLICY.free; i++) statuses.push(await attempt(address()))
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429])
      } finally {
        await gateway.close()
      }
    },
  )
})
