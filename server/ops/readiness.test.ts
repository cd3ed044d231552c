import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import r from 'rethinkdb'
import { connectOptions } from '../db/connection.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded.ts'
import { migrate } from '../db/migrate.ts'
import { startNode, type ServerNode } from '../stack.ts'
import { testEnv } from '../testing/test-env.ts'
import { READY_PATH } from './ops-endpoints.ts'

// GET /ready through real processes' parts: the API alone against a database
// nobody has migrated yet, a whole node while it drains, and deepstream
// alone on its operations listener. One node at a time: the shared database
// connection reads the process-wide configuration.

async function ready(base: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(base + READY_PATH, { signal: AbortSignal.timeout(5_000) })
  return { status: response.status, body: (await response.json()) as never }
}

describe('GET /ready', () => {
  it('answers 503 until the database is migrated, then 200 (the API alone)', async (t) => {
    const database: EmbeddedDatabase = await startEmbeddedDatabase({ port: 0, dataDir: 'memory' })
    t.after(() => database.close())
    const node: ServerNode = await startNode(testEnv({ RTKIT_ROLE: 'api', RTKIT_RETHINKDB_URL: database.url }))
    // Closed before the next test even when an assertion fails: the shared connection follows the last node's configuration.
    t.after(() => node.close())

    const before = await ready(node.apiUrl!)
    assert.equal(before.status, 503)
    assert.deepEqual(before.body, { status: 'unready', checks: { database: 'waiting' } })
    assert.equal((await fetch(node.apiUrl + '/health')).status, 200, '/health stays liveness')

    const conn = await r.connect(connectOptions(node.config.database))
    await migrate(conn, node.config.database.db)
    await conn.close()
    const afterMigration = await ready(node.apiUrl!)
    assert.equal(afterMigration.status, 200)
    assert.deepEqual(afterMigration.body, { status: 'ready', checks: { database: 'ok' } })

    await node.close()
  })

  it('answers 503 at once when the node drains, while /health stays 200', async (t) => {
    const node = await startNode(testEnv())
    t.after(() => node.close())
    const running = await ready(node.apiUrl!)
    assert.equal(running.status, 200)
    assert.deepEqual(running.body.checks, { database: 'ok', realtime: 'ok', bridge: 'ok' })

    node.drain()
    const draining = await ready(node.apiUrl!)
    assert.equal(draining.status, 503)
    assert.equal(draining.body.status, 'draining')
    assert.equal((await fetch(node.apiUrl + '/health')).status, 200)
  })

  it('drains before any part stops when the node closes (what SIGTERM runs)', async () => {
    const node = await startNode(testEnv())
    const closing = node.close()
    // close() marks the node draining before its first await, so no part has stopped yet.
    assert.equal(node.readiness.draining, true)
    assert.equal((await node.readiness.report()).status, 'draining')
    await closing
  })

  it('answers /metrics with 404 when RTKIT_METRICS_TOKEN is not set', async (t) => {
    const node = await startNode(testEnv({ RTKIT_METRICS_TOKEN: '' }))
    t.after(() => node.close())
    const response = await fetch(node.apiUrl + '/metrics', { headers: { authorization: 'Bearer anything-at-all-0123456789' } })
    assert.equal(response.status, 404)
  })

  it('serves deepstream alone on its own listener, 503 once deepstream is down', async (t) => {
    const node = await startNode(testEnv({ RTKIT_ROLE: 'realtime' }))
    t.after(() => node.close())
    assert.equal(node.apiUrl, undefined)
    assert.ok(node.opsUrl, 'a process without the API gateway has an operations listener')
    assert.deepEqual(await ready(node.opsUrl), { status: 200, body: { status: 'ready', checks: { realtime: 'ok' } } })

    await node.realtime!.close()
    const stopped = await ready(node.opsUrl)
    assert.equal(stopped.status, 503)
    assert.deepEqual(stopped.body.checks, { realtime: 'waiting' })
  })
})
