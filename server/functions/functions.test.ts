// An operator's own functions, end to end through the real stack: POST
// /functions/<name> refuses before the handler runs (404, 401, 422, 403),
// answers a thrown error with 500 and no stack, an exposed one with its
// status, a slow one with the gateway's 504, runs a repeated Idempotency-Key
// once, writes collections with their validation and pushes the writes live;
// each refusal is checked in the database afterwards.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { captureLogs } from '../lib/log.ts'
import { connectClient, type TestClient } from '../testing/realtime-clients.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { FUNCTION_CALLS_TABLE } from '../db/function-calls.ts'

const folder = mkdtempSync(join(tmpdir(), 'rtkit-functions-'))
const define = pathToFileURL(fileURLToPath(new URL('../collections/config-entry.ts', import.meta.url))).href
const zod = pathToFileURL(fileURLToPath(new URL('../../node_modules/zod/mini/index.js', import.meta.url))).href
const METRICS_TOKEN = 'functions-test-metrics-token'

/**
 * Gates a handler waits on, opened by the test: the config module is
 * imported by the stack in this process, so they are shared through
 * `globalThis`. No test waits on a clock.
 */
interface Gate {
  started: Promise<void>
  start(): void
  open(): void
  opened: Promise<void>
  finished: Promise<unknown>
  finish(value: unknown): void
}
function gate(): Gate {
  const g = {} as Gate
  g.started = new Promise((resolve) => (g.start = resolve))
  g.opened = new Promise((resolve) => (g.open = resolve))
  g.finished = new Promise((resolve) => (g.finish = resolve))
  return g
}
const gates = ((globalThis as { rtkitTestGates?: Record<string, Gate> }).rtkitTestGates = {} as Record<string, Gate>)

const CONFIG = `
import { defineConfig, defineCollection, defineFunction, FunctionError, tasks } from '${define}'
import * as z from '${zod}'

const votes = defineCollection({
  name: 'votes',
  partitionKey: 'poll',
  fields: { choice: z.enum(['red', 'green', 'blue']) },
  derive: (user) => ({ voter: user.id }),
  // No create rule: over HTTP nobody may vote; only the functions write.
  rules: { read: () => true },
})
const gated = async (name, work) => {
  const g = globalThis.rtkitTestGates[name]
  g.start()
  await g.opened
  try { const value = await work(); g.finish(value); return value } catch (error) { g.finish(error); throw error }
}

export default defineConfig({
  collections: [tasks, votes],
  functions: [
    defineFunction({
      name: 'cast',
      // Stricter than the collection (a poll id of at most 20 characters), so its own refusal shows.
      input: z.object({ poll: z.string().check(z.maxLength(20)), choice: z.string() }),
      rules: { call: (user, input) => input.poll !== 'forbidden' },
      handler: async (input, ctx) => {
        const doc = await ctx.collections.votes.insert({ poll: input.poll, choice: input.choice })
        return { id: doc.id, voter: doc.voter, version: doc.version }
      },
    }),
    defineFunction({
      name: 'count',
      auth: false,
      input: z.object({ poll: z.string() }),
      handler: async (input, ctx) => ({ total: (await ctx.collections.votes.list(input.poll)).length, caller: ctx.user?.id ?? null }),
    }),
    defineFunction({
      name: 'change',
      input: z.object({ id: z.string(), choice: z.optional(z.string()) }),
      handler: async (input, ctx) =>
        input.choice ? ctx.collections.votes.update(input.id, { choice: input.choice }) : ctx.collections.votes.remove(input.id),
    }),
    defineFunction({
      name: 'boom',
      input: z.object({ poll: z.string() }),
      handler: async (input, ctx) => {
        await ctx.collections.votes.get(input.poll)
        throw new Error('the secret internals of boom')
      },
    }),
    defineFunction({
      name: 'refuse',
      input: z.object({}),
      handler: () => { throw new FunctionError(409, 'the poll is closed', { code: 'poll_closed', details: { poll: 'p' } }) },
    }),
    defineFunction({
      name: 'slow',
      input: z.object({ poll: z.string() }),
      handler: (input, ctx) => gated('slow', () => ctx.collections.votes.insert({ poll: input.poll, choice: 'red' })),
    }),
    defineFunction({
      name: 'once',
      input: z.object({ poll: z.string() }),
      handler: (input, ctx) => gated('once', async () => ({ id: (await ctx.collections.votes.insert({ poll: input.poll, choice: 'green' })).id })),
    }),
  ],
})
`

describe('server functions', () => {
  let stack: TestStack
  let alice: { token: string; id: string }
  const clients: TestClient[] = []
  const call = (name: string, body: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
    stack.api('POST', `/functions/${name}`, { body, ...options })
  const votesOf = async (poll: string) => (await stack.rows('votes')).filter((row) => row.poll === poll)

  before(async () => {
    const file = join(folder, 'rtkit.config.mjs')
    writeFileSync(file, CONFIG)
    stack = await startTestStack({ RTKIT_CONFIG: file, RTKIT_HANDLER_TIMEOUT_MS: '2000', RTKIT_METRICS_TOKEN: METRICS_TOKEN })
    const session = await stack.login('alice')
    alice = { token: session.token, id: session.user.id }
  })
  after(async () => {
    for (const client of clients) client.close()
    await stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('runs a function: its writes are validated, derived, versioned and pushed live', async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const watcher = await connectClient(stack.realtimeUrl, (await stack.login('bob')).token)
    clients.push(watcher)
    const events = watcher.record(`votes/${poll}`)
    await new Promise((resolve) => setTimeout(resolve, 300)) // let the subscription reach the server, as realtime.test.ts does

    const answer = await call('cast', { poll, choice: 'red' }, { token: alice.token })
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.deepEqual(answer.body, { result: { id: answer.body.result.id, voter: alice.id, version: 1 } })
    const pushed = await events.next((event) => event.doc?.id === answer.body.result.id)
    assert.equal(pushed.doc.choice, 'red')
    assert.equal(pushed.doc.createdBy, alice.id)

    const changed = await call('change', { id: answer.body.result.id, choice: 'blue' }, { token: alice.token })
    assert.equal(changed.body.result.version, 2)
    assert.equal((await events.next((event) => event.doc?.id === answer.body.result.id && event.version === 2)).doc.choice, 'blue')
    const removed = await call('change', { id: answer.body.result.id }, { token: alice.token })
    assert.deepEqual(removed.body.result, { id: answer.body.result.id, version: 3 })
    const row = (await stack.rows('votes')).find((stored) => stored.id === answer.body.result.id)
    assert.equal(row.tombstone, true, 'the remove left a tombstone')
  })

  it("refuses a write its collection's validation refuses (422), writing nothing", async () => {
    const before = await stack.snapshot()
    const answer = await call('cast', { poll: 'p-invalid', choice: 'purple' }, { token: alice.token })
    assert.equal(answer.status, 422)
    assert.match(answer.body.error.message, /choice/)
    assert.equal(await stack.snapshot(), before)
  })

  it('refuses before the handler runs: 404, 401, 422, 403, writing nothing', async () => {
    const before = await stack.snapshot()
    const unknown = await call('nope', {}, { token: alice.token })
    const anonymous = await call('cast', { poll: 'p-401', choice: 'red' })
    const badToken = await call('count', { poll: 'p' }, { token: 'not-a-token' })
    const invalid = await call('cast', { poll: 'p-422-longer-than-twenty', choice: 'red' }, { token: alice.token })
    const forbidden = await call('cast', { poll: 'forbidden', choice: 'red' }, { token: alice.token })
    assert.deepEqual(
      [unknown, anonymous, badToken, invalid, forbidden].map((answer) => answer.status),
      [404, 401, 401, 422, 403],
    )
    assert.deepEqual(invalid.body.error.details.issues, [{ path: 'poll', message: invalid.body.error.details.issues[0].message }])
    assert.equal(await stack.snapshot(), before, 'no refused call wrote anything')
  })

  it('lets anyone call a function declared with auth: false, and tells it the caller when there is one', async () => {
    assert.deepEqual((await call('count', { poll: 'p-none' })).body, { result: { total: 0, caller: null } })
    assert.deepEqual((await call('count', { poll: 'p-none' }, { token: alice.token })).body, { result: { total: 0, caller: alice.id } })
  })

  it('answers a thrown error with 500, the request id and no stack, and logs it', async () => {
    const logs = captureLogs()
    const before = await stack.snapshot()
    const answer = await call('boom', { poll: 'p' }, { token: alice.token }).finally(() => logs.restore())
    assert.equal(answer.status, 500)
    assert.deepEqual(answer.body, { error: { code: 'internal', message: 'internal error', requestId: answer.headers.get('x-request-id') } })
    assert.doesNotMatch(JSON.stringify(answer.body), /secret internals|at /)
    assert.ok(logs.lines.some((line) => JSON.stringify(line).includes('the secret internals of boom')))
    assert.equal(await stack.snapshot(), before)
  })

  it('answers an exposed error with its own status, code, message and details', async () => {
    const answer = await call('refuse', {}, { token: alice.token })
    assert.equal(answer.status, 409)
    assert.deepEqual(answer.body, { error: { code: 'poll_closed', message: 'the poll is closed', details: { poll: 'p' } } })
  })

  it("answers 504 past the gateway's timeout, and the abandoned handler writes nothing", async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    gates.slow = gate()
    const logs = captureLogs()
    try {
      const answer = await call('slow', { poll }, { token: alice.token })
      assert.equal(answer.status, 504)
      gates.slow.open()
      const outcome = await gates.slow.finished
      assert.equal((outcome as Error).name, 'InvocationAbandonedError')
      await new Promise((resolve) => setImmediate(resolve)) // the gateway's note of the late end, kept out of the output
    } finally {
      logs.restore()
    }
    assert.deepEqual(await votesOf(poll), [])
  })

  it('runs a call with an Idempotency-Key once: a repeat gets the first result, one still running gets 409', async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const key = randomUUID()
    const headers = { 'idempotency-key': key }
    gates.once = gate()
    const first = call('once', { poll }, { token: alice.token, headers })
    await gates.once.started
    const during = await call('once', { poll }, { token: alice.token, headers })
    assert.equal(during.status, 409)
    assert.equal(during.body.error.details.inProgress, true)
    gates.once.open()
    const answered = await first
    assert.equal(answered.status, 200)
    const again = await call('once', { poll }, { token: alice.token, headers })
    assert.deepEqual(again.body, answered.body)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.deepEqual(
      (await votesOf(poll)).map((row) => row.id),
      [answered.body.result.id],
      'the function ran once',
    )
    assert.equal(
      (await stack.rows(FUNCTION_CALLS_TABLE)).filter(
        (row) => row.answer && JSON.parse(row.answer.json).result?.id === answered.body.result.id,
      ).length,
      1,
    )

    // Another user's call with the same key is a call of its own.
    const bob = await stack.login('bob')
    gates.once = gate()
    gates.once.open()
    const bobs = await call('once', { poll }, { token: bob.token, headers })
    assert.notEqual(bobs.body.result.id, answered.body.result.id)
    assert.equal((await votesOf(poll)).length, 2)
  })

  it('gives the key up after a 500, so a retry runs anew', async () => {
    const logs = captureLogs()
    const headers = { 'idempotency-key': randomUUID() }
    try {
      assert.equal((await call('boom', { poll: 'p' }, { token: alice.token, headers })).status, 500)
      const again = await call('boom', { poll: 'p' }, { token: alice.token, headers })
      assert.equal(again.status, 500)
      assert.equal(again.headers.get('idempotent-replayed'), null, 'ran again, not replayed')
    } finally {
      logs.restore()
    }
    assert.equal(logs.lines.filter((line) => JSON.stringify(line).includes('the secret internals of boom')).length, 2)
  })

  it('refuses a malformed Idempotency-Key (400) without running', async () => {
    const before = await stack.snapshot()
    const answer = await call('cast', { poll: 'p-key', choice: 'red' }, { token: alice.token, headers: { 'idempotency-key': 'a b' } })
    assert.equal(answer.status, 400)
    assert.equal(await stack.snapshot(), before)
  })

  it('counts each function by name in /metrics, and unknown names under the template', async () => {
    await call('count', { poll: 'p-metrics' })
    await call('nope', {})
    const text = await (
      await fetch(`${stack.apiUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` }, signal: AbortSignal.timeout(10_000) })
    ).text()
    assert.match(text, /rtkit_http_requests_total\{route="\/functions\/count",method="POST",status="200"\} \d+/)
    assert.match(text, /rtkit_http_requests_total\{route="\/functions\/\{name\}",method="POST",status="404"\} \d+/)
    assert.doesNotMatch(text, /route="\/functions\/nope"/)
  })
})
