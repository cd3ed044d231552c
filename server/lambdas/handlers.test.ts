import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import r from 'rethinkdb'
import { connectOptions } from '../db/connection.ts'
import { injectFault } from '../db/fault-points.ts'
import { migrate } from '../db/migrate.ts'
import { lambdaContext } from '../gateway/events.ts'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { handler as createHandler } from './collections-create.ts'
import { handler as loginHandler } from './auth-login.ts'
import { handler as meHandler } from './auth-me.ts'

// Handler modules invoked directly with API Gateway v2 event fixtures, the way
// Lambda invokes them, against the embedded database.

function fixture(name: string): APIGatewayProxyEventV2 {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'))
}
const baseCreate = fixture('create-task')
const baseLogin = fixture('login')

function context(): Context {
  return lambdaContext('fixture', 'fixture-aws-request-id', 1000)
}

async function invoke(handler: typeof createHandler, event: APIGatewayProxyEventV2) {
  const result = (await handler(event, context())) as APIGatewayProxyStructuredResultV2
  return { ...result, json: JSON.parse(result.body ?? 'null') }
}

let stack: TestStack
let token: string

before(async () => {
  stack = await startTestStack()
  // Prepare: a base64-encoded login body, as API Gateway sends binary bodies.
  const login = await invoke(loginHandler, structuredClone(baseLogin))
  assert.equal(login.statusCode, 200)
  token = login.json.token
})
after(() => stack.close())

describe('collections-create handler', () => {
  it('stores the fixture task and echoes the request id', async () => {
    // Prepare
    const event = structuredClone(baseCreate)
    event.headers.authorization = `Bearer ${token}`
    // Act
    const result = await invoke(createHandler, event)
    // Assess
    assert.equal(result.statusCode, 201)
    assert.equal(result.headers?.['x-request-id'], 'fixture-request-id')
    assert.equal(result.json.title, 'From a fixture')
    const stored = (await stack.rows('tasks')).find((t) => t.id === result.json.id)
    assert.deepEqual(stored, result.json)
  })

  it('reads a header whatever its case in a hand-made event', async () => {
    const event = structuredClone(baseCreate)
    delete event.headers.authorization
    event.headers.Authorization = `Bearer ${token}`
    const result = await invoke(createHandler, event)
    assert.ok([200, 201].includes(result.statusCode ?? 0))
  })

  it('answers 503 with Retry-After while the table does not exist yet (migrations not run after a restart), and recovers once they have', async () => {
    const event = structuredClone(baseCreate)
    event.headers.authorization = `Bearer ${token}`
    const withId = (prefix: string) => ({ ...event, body: event.body!.replace('5b0f2a8e', prefix) })
    const conn = await r.connect(connectOptions(stack.config.database))
    const logs = captureLogs()
    try {
      // The database is back, but empty: the table is not there until migrations run.
      await r.db(stack.config.database.db).tableDrop('tasks').run(conn)
      const result = await invoke(createHandler, withId('6c0f2a8e'))
      assert.equal(result.statusCode, 503)
      assert.equal(result.headers?.['retry-after'], '1')
      assert.equal(result.json.error.code, 'unavailable')
    } finally {
      logs.restore()
    }
    await migrate(conn, stack.config.database.db)
    await conn.close()
    assert.equal((await invoke(createHandler, withId('7d0f2a8e'))).statusCode, 201)
  })

  it('turns an unexpected failure into a 500 with a request id and no stack trace', async () => {
    const event = structuredClone(baseCreate)
    event.headers.authorization = `Bearer ${token}`
    const logs = captureLogs()
    // A failure no handler expects, where the write would happen.
    const remove = injectFault('insert:before-write', () => {
      throw new TypeError('something nobody planned for')
    })
    try {
      const result = await invoke(createHandler, { ...event, body: event.body!.replace('5b0f2a8e', '8e0f2a8e') })
      assert.equal(result.statusCode, 500)
      assert.deepEqual(result.json, { error: { code: 'internal', message: 'internal error', requestId: 'fixture-request-id' } })
      assert.ok(!result.body?.includes('nobody planned'), 'no internals in the answer')
      const withRequestId = logs.lines.filter((line) => line.requestId === 'fixture-request-id')
      assert.equal(withRequestId.length, 1, 'the failure is logged once with its request id')
      assert.equal(withRequestId[0]?.level, 'error')
    } finally {
      remove()
      logs.restore()
    }
  })
})

describe('auth-me handler', () => {
  it('refuses an event without a token', async () => {
    const event = structuredClone(baseCreate)
    const result = await invoke(meHandler, { ...event, body: undefined as unknown as string })
    assert.equal(result.statusCode, 401)
    assert.equal(result.headers?.['www-authenticate'], 'Bearer')
  })
})
