// route()'s nesting limit (MAX_BODY_NESTING), end to end through the real
// stack and, for the Lambda path, the handler module on its own: a body at
// the limit is stored, a deeper one is refused with 422 and writes nothing,
// and nesting deep enough to overflow a recursive walk is refused the same
// way instead of answering 500.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { MAX_BODY_BYTES } from '../../contracts/errors.ts'
import { lambdaContext } from '../gateway/events.ts'
import { handler as callHandler } from '../lambdas/functions-call.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { MAX_BODY_NESTING } from './route.ts'

const folder = mkdtempSync(join(tmpdir(), 'rtkit-body-nesting-'))
const define = pathToFileURL(fileURLToPath(new URL('../collections/config-entry.ts', import.meta.url))).href
const zod = pathToFileURL(fileURLToPath(new URL('../../node_modules/zod/mini/index.js', import.meta.url))).href

/**
 * A collection whose `data` field takes any JSON, and a function that takes
 * any JSON (validated by zod's recursive `z.json()`) and answers with it: the
 * shapes that let a client nest as deep as it likes.
 */
const CONFIG = `
import { defineConfig, defineCollection, defineFunction } from '${define}'
import * as z from '${zod}'

export default defineConfig({
  collections: [
    defineCollection({
      name: 'notes',
      partitionKey: 'book',
      fields: { data: z.optional(z.unknown()) },
      rules: { read: () => true, create: () => true, update: () => true },
    }),
  ],
  functions: [defineFunction({ name: 'echo', auth: false, input: z.json(), handler: async (input) => input })],
})
`

/** `{ "a": { "a": … 1 } }`: `levels` objects, one in another. */
function nested(levels: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < levels; i++) value = { a: value }
  return value
}

/** The path to the object one level past the limit in a body `{ data: nested(…) }`: `data.a.a…`. */
const PAST_LIMIT_PATH = ['data', ...Array<string>(MAX_BODY_NESTING - 1).fill('a')].join('.')

describe('a JSON body nested deeper than MAX_BODY_NESTING', () => {
  let stack: TestStack
  let token: string
  const notes = async (id: string) => (await stack.rows('notes')).filter((row) => row.id === id)

  before(async () => {
    const file = join(folder, 'rtkit.config.mjs')
    writeFileSync(file, CONFIG)
    stack = await startTestStack({ RTKIT_CONFIG: file })
    token = (await stack.login('alice')).token
  })
  after(async () => {
    await stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('is refused on insert with 422 naming the path, writing nothing, while a document at the limit is stored', async () => {
    // Prepare: the body is the first level, `data` the second.
    const atLimit = { id: randomUUID(), book: 'deep', data: nested(MAX_BODY_NESTING - 1) }
    const pastLimit = { id: randomUUID(), book: 'deep', data: nested(MAX_BODY_NESTING) }
    // Act
    const stored = await stack.api('POST', '/collections/notes', { token, body: atLimit })
    const before = await stack.snapshot()
    const refused = await stack.api('POST', '/collections/notes', { token, body: pastLimit })
    // Assess
    assert.equal(stored.status, 201, JSON.stringify(stored.body))
    assert.deepEqual((await notes(atLimit.id))[0]?.data, atLimit.data)
    assert.equal(refused.status, 422, JSON.stringify(refused.body))
    assert.equal(refused.body.error.code, 'validation_failed')
    assert.deepEqual(refused.body.error.details, {
      issues: [{ path: PAST_LIMIT_PATH, message: `nested deeper than ${MAX_BODY_NESTING} levels` }],
    })
    assert.ok(refused.headers.get('x-request-id'))
    assert.equal(await stack.snapshot(), before, 'the refused insert wrote nothing')
  })

  it('is refused on PATCH with 422, writing nothing, while a patch at the limit is stored', async () => {
    // Prepare
    const created = await stack.api('POST', '/collections/notes', { token, body: { id: randomUUID(), book: 'deep' } })
    assert.equal(created.status, 201)
    const path = `/collections/notes/${created.body.id}`
    // Act
    const patched = await stack.api('PATCH', path, { token, body: { expectedVersion: 1, data: nested(MAX_BODY_NESTING - 1) } })
    const before = await stack.snapshot()
    const refused = await stack.api('PATCH', path, { token, body: { expectedVersion: 2, data: nested(MAX_BODY_NESTING) } })
    // Assess
    assert.equal(patched.status, 200, JSON.stringify(patched.body))
    assert.equal(refused.status, 422, JSON.stringify(refused.body))
    assert.deepEqual(refused.body.error.details.issues, [
      { path: PAST_LIMIT_PATH, message: `nested deeper than ${MAX_BODY_NESTING} levels` },
    ])
    assert.equal(await stack.snapshot(), before, 'the refused patch wrote nothing')
    assert.equal((await notes(created.body.id))[0]?.version, 2)
  })

  it('refuses a function input nested 5,000 levels with 422, not a 500', async () => {
    // Prepare: about 30 KB, well under the body size limit.
    const raw = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)
    assert.ok(raw.length < MAX_BODY_BYTES)
    // Act
    const answer = await stack.api('POST', '/functions/echo', { raw, headers: { 'content-type': 'application/json' } })
    // Assess
    assert.equal(answer.status, 422, JSON.stringify(answer.body))
    assert.equal(answer.body.error.code, 'validation_failed')
    assert.deepEqual(answer.body.error.details.issues, [
      { path: Array<string>(MAX_BODY_NESTING).fill('a').join('.'), message: `nested deeper than ${MAX_BODY_NESTING} levels` },
    ])
  })

  it('refuses a whole body of nested arrays without overflowing the stack', async () => {
    // Prepare: the most levels a body within the size limit can hold.
    const levels = MAX_BODY_BYTES / 2
    const raw = '['.repeat(levels) + ']'.repeat(levels)
    // Act
    const answer = await stack.api('POST', '/functions/echo', { raw, headers: { 'content-type': 'application/json' } })
    // Assess
    assert.equal(answer.status, 422, JSON.stringify(answer.body))
    assert.deepEqual(answer.body.error.details.issues[0].path, Array<string>(MAX_BODY_NESTING).fill('0').join('.'))
  })

  it('is refused by the handler module itself, as a deployed Lambda runs it without the local gateway', async () => {
    // Prepare: the event API Gateway would send.
    const event = {
      version: '2.0',
      routeKey: 'POST /functions/{name}',
      rawPath: '/functions/echo',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { name: 'echo' },
      requestContext: { requestId: 'nesting-request-id', http: { method: 'POST', path: '/functions/echo', sourceIp: '127.0.0.1' } },
      body: JSON.stringify(nested(MAX_BODY_NESTING + 1)),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2
    // Act
    const result = (await callHandler(event, lambdaContext('functions-call', 'nesting', 1_000))) as APIGatewayProxyStructuredResultV2
    // Assess
    assert.equal(result.statusCode, 422, result.body)
    assert.equal(result.headers?.['x-request-id'], 'nesting-request-id')
    assert.equal(JSON.parse(result.body!).error.code, 'validation_failed')
  })
})
