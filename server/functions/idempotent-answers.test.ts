// What an Idempotency-Key keeps is the answer the client was sent: its JSON
// text. A result JSON drops parts of (an undefined field) or nests deeply is
// kept and replayed like any other (an exposed error's details too), and the
// handler runs once; a result JSON
// cannot carry at all is a 500 that gives the key up; an answer kept in the
// earlier form (the body as an object) is still replayed.
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import r from 'rethinkdb'
import { connectOptions } from '../db/connection.ts'
import { FUNCTION_CALLS_TABLE } from '../db/function-calls.ts'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'

const folder = mkdtempSync(join(tmpdir(), 'rtkit-idempotent-answers-'))
const define = pathToFileURL(fileURLToPath(new URL('../collections/config-entry.ts', import.meta.url))).href
const zod = pathToFileURL(fileURLToPath(new URL('../../node_modules/zod/mini/index.js', import.meta.url))).href

/** How deep the `deep` function nests its result: far past the driver's 20 levels for one query term. */
const DEPTH = 200

// Each function inserts one vote in `input.poll` before it answers, so the votes of a poll count its runs.
const CONFIG = `
import { defineConfig, defineCollection, defineFunction, FunctionError } from '${define}'
import * as z from '${zod}'

const votes = defineCollection({
  name: 'votes',
  partitionKey: 'poll',
  fields: { choice: z.enum(['red', 'green', 'blue']) },
  rules: { read: () => true },
})
const vote = async (ctx, poll) => (await ctx.collections.votes.insert({ poll, choice: 'red' })).id

export default defineConfig({
  collections: [votes],
  functions: [
    defineFunction({
      name: 'note',
      input: z.object({ poll: z.string(), note: z.optional(z.string()) }),
      handler: async (input, ctx) => ({ id: await vote(ctx, input.poll), note: input.note }),
    }),
    defineFunction({
      name: 'deep',
      input: z.object({ poll: z.string() }),
      handler: async (input, ctx) => {
        let nested = { id: await vote(ctx, input.poll) }
        for (let level = 0; level < ${DEPTH}; level++) nested = { inner: nested }
        return nested
      },
    }),
    defineFunction({
      name: 'closed',
      input: z.object({ poll: z.string() }),
      handler: async (input, ctx) => {
        await vote(ctx, input.poll)
        throw new FunctionError(409, 'the poll is closed', { details: { poll: input.poll, reason: undefined } })
      },
    }),
    defineFunction({
      name: 'big',
      input: z.object({ poll: z.string() }),
      handler: async (input, ctx) => ({ id: await vote(ctx, input.poll), count: 1n }),
    }),
  ],
})
`

describe('the answer an Idempotency-Key keeps', () => {
  let stack: TestStack
  let alice: { token: string; id: string }
  const call = (name: string, body: unknown, key: string) =>
    stack.api('POST', `/functions/${name}`, { body, token: alice.token, headers: { 'idempotency-key': key } })
  const runsIn = async (poll: string) => (await stack.rows('votes')).filter((row) => row.poll === poll).length
  /** The row id of a key, as `run-call.ts` derives it. */
  const rowId = (fn: string, key: string) => createHash('sha256').update(`${alice.id}\n${fn}\n${key}`).digest('hex')
  const newPoll = () => `poll-${randomUUID().slice(0, 8)}`

  before(async () => {
    const file = join(folder, 'rtkit.config.mjs')
    writeFileSync(file, CONFIG)
    stack = await startTestStack({ RTKIT_CONFIG: file, RTKIT_HANDLER_TIMEOUT_MS: '2000' })
    const session = await stack.login('alice')
    alice = { token: session.token, id: session.user.id }
  })
  after(async () => {
    await stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('keeps a result with an undefined field as the client got it, and runs the handler once', async () => {
    const poll = newPoll()
    const key = randomUUID()

    const first = await call('note', { poll }, key)
    const again = await call('note', { poll }, key)

    assert.equal(first.status, 200, JSON.stringify(first.body))
    assert.deepEqual(first.body, { result: { id: first.body.result.id } }, 'JSON drops the undefined field')
    assert.equal(again.status, 200, JSON.stringify(again.body))
    assert.deepEqual(again.body, first.body)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(await runsIn(poll), 1, 'the handler ran once')
  })

  it(`keeps a result nested ${DEPTH} levels deep, and replays it`, async () => {
    const poll = newPoll()
    const key = randomUUID()

    const first = await call('deep', { poll }, key)
    const again = await call('deep', { poll }, key)

    assert.equal(first.status, 200, JSON.stringify(first.body))
    let depth = 0
    for (let level = first.body.result; level.inner; level = level.inner) depth++
    assert.equal(depth, DEPTH)
    assert.equal(again.status, 200, JSON.stringify(again.body))
    assert.deepEqual(again.body, first.body)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(await runsIn(poll), 1, 'the handler ran once')
  })

  it('keeps an exposed error whose details have an undefined field, and runs the handler once', async () => {
    const poll = newPoll()
    const key = randomUUID()

    const first = await call('closed', { poll }, key)
    const again = await call('closed', { poll }, key)

    assert.equal(first.status, 409, JSON.stringify(first.body))
    assert.deepEqual(first.body, { error: { code: 'conflict', message: 'the poll is closed', details: { poll } } })
    assert.equal(again.status, 409)
    assert.deepEqual(again.body, first.body)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(await runsIn(poll), 1, 'the handler ran once')
  })

  it('answers a result JSON cannot carry with 500 and gives the key up: a retry runs the handler again', async () => {
    const poll = newPoll()
    const key = randomUUID()
    const logs = captureLogs()

    const first = await call('big', { poll }, key)
    const stored = (await stack.rows(FUNCTION_CALLS_TABLE)).find((row) => row.id === rowId('big', key))
    const again = await call('big', { poll }, key).finally(() => logs.restore())

    assert.equal(first.status, 500)
    assert.deepEqual(first.body, { error: { code: 'internal', message: 'internal error', requestId: first.headers.get('x-request-id') } })
    assert.ok(
      logs.lines.some((line) => JSON.stringify(line).includes('BigInt')),
      'the cause is logged',
    )
    assert.equal(stored, undefined, 'the key was given up')
    assert.equal(again.status, 500)
    assert.equal(again.headers.get('idempotent-replayed'), null, 'ran again, not replayed')
    // The handler's writes are not undone: a 5xx never claims that nothing happened.
    assert.equal(await runsIn(poll), 2)
  })

  it('replays an answer kept in the earlier form, the body as an object', async () => {
    const poll = newPoll()
    const key = randomUUID()
    const body = { result: { id: 'kept-before', note: 'from an earlier version' } }
    const conn = await r.connect(connectOptions(stack.config.database))
    try {
      const now = Date.now()
      await r
        .table(FUNCTION_CALLS_TABLE)
        .insert({
          id: rowId('note', key),
          function: 'note',
          claim: randomUUID(),
          leaseUntil: now,
          expiresAt: now + 60_000,
          answer: { status: 200, body },
        })
        .run(conn)
    } finally {
      await conn.close()
    }

    const answer = await call('note', { poll }, key)

    assert.equal(answer.status, 200)
    assert.deepEqual(answer.body, body)
    assert.equal(answer.headers.get('idempotent-replayed'), 'true')
    assert.equal(await runsIn(poll), 0)
  })
})
