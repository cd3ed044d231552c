import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import Redis from 'ioredis'
import { topicFor } from '../../contracts/realtime.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.ts'
import { connectClient, type TestClient } from '../../server/testing/realtime-clients.ts'
import { testEnv } from '../../server/testing/test-env.ts'
import { BRIDGE_LEASE_KEY } from '../../server/stack.ts'
import { startClusterNode, type ClusterNode } from './cluster-node.ts'
import { freePort } from './ports.ts'
import { startRedisServer, type RedisServer } from './redis-server.ts'
import { DEMO_PASSWORD } from '../../server/db/seed.ts'

// README's three-machine layout, each "machine" a process configured by
// environment alone: app-1 and app-2 run api,realtime; data runs the bridge
// alone, reaching deepstream through RTKIT_REALTIME_URL, so its events
// travel data → app-1's deepstream → Redis → app-2's deepstream.

let redis: RedisServer
let database: EmbeddedDatabase
const nodes: ClusterNode[] = []
const clients: TestClient[] = []
let app1: ClusterNode
let app2: ClusterNode
let data: ClusterNode
let token: string

before(async () => {
  redis = await startRedisServer()
  database = await startEmbeddedDatabase({ dataDir: 'memory' })
  const env = testEnv({
    RTKIT_REDIS_URL: redis.url,
    RTKIT_REDIS_PASSWORD: redis.password,
    RTKIT_RETHINKDB_URL: `${database.url}/rtkit`,
    RTKIT_JWT_SECRET: `split-roles-${randomUUID()}`,
    RTKIT_LOG_LEVEL: 'error',
  })
  const start = async (name: string, extra: NodeJS.ProcessEnv) => {
    const node = await startClusterNode({ name, env: { ...env, ...extra } })
    nodes.push(node)
    return node
  }
  // All three at once, as machines boot: the bridge keeps trying app-1's
  // deepstream until it answers. It migrates and seeds (the bridge role does).
  const app1Realtime = await freePort()
  ;[app1, app2, data] = await Promise.all([
    start('app-1', { RTKIT_ROLE: 'api,realtime', RTKIT_REALTIME_PORT: String(app1Realtime) }),
    start('app-2', { RTKIT_ROLE: 'api,realtime' }),
    start('data', { RTKIT_ROLE: 'bridge', RTKIT_REALTIME_URL: `ws://127.0.0.1:${app1Realtime}/deepstream` }),
  ])
  const admin = new Redis(redis.url, { password: redis.password })
  try {
    for (let i = 0; i < 100 && !((await admin.get(BRIDGE_LEASE_KEY)) ?? '').startsWith('data '); i++) await sleep(50)
  } finally {
    admin.disconnect()
  }
  // A real account (the bridge's process seeded the demo users): tokens of users that do not exist are refused.
  const login = await fetch(`${app1.apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: DEMO_PASSWORD }),
  })
  token = ((await login.json()) as { token: string }).token
})
after(async () => {
  for (const client of clients) client.close()
  await Promise.all(nodes.map((node) => node.stop()))
  await redis?.stop()
  await database?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the three-machine layout', () => {
  it('starts each part from its role: no gateway or deepstream where the role is not asked for', () => {
    assert.ok(app1.apiUrl && app1.realtimeUrl)
    assert.ok(app2.apiUrl && app2.realtimeUrl)
    assert.equal(data.apiUrl, '')
    assert.equal(data.realtimeUrl, '')
  })

  it('delivers writes through either gateway to clients of either deepstream, once, from the bridge-only process', async () => {
    const board = `split-${randomUUID().slice(0, 8)}`
    const recorders = []
    for (const node of [app1, app2]) {
      const client = await connectClient(node.realtimeUrl, token)
      clients.push(client)
      recorders.push(client.record(topicFor('tasks', board)))
    }
    await sleep(300)
    const written: string[] = []
    for (const [i, node] of [app1, app2, app1, app2].entries()) {
      const id = randomUUID()
      const response = await fetch(`${node.apiUrl}/collections/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, board, title: `split ${i}`, status: 'todo', order: i }),
        signal: AbortSignal.timeout(10_000),
      })
      assert.equal(response.status, 201, await response.text())
      written.push(id)
    }
    for (const recorder of recorders) for (const id of written) await recorder.next((event) => event.doc?.id === id)
    await sleep(300)
    const admin = new Redis(redis.url, { password: redis.password })
    try {
      assert.match((await admin.get(BRIDGE_LEASE_KEY)) ?? '', /^data /, 'the bridge-only process published them')
    } finally {
      admin.disconnect()
    }
    for (const recorder of recorders) {
      assert.deepEqual(recorder.events.map((event) => event.doc.id).sort(), [...written].sort())
    }
  })
})
