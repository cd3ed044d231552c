import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it, type TestContext } from 'node:test'
import r from 'rethinkdb'
import { RESYNC_TOPIC, topicFor } from '../../contracts/realtime.ts'
import { captureLogs } from '../lib/log.ts'
import { connectClient, within, type TestClient } from '../testing/realtime-clients.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import type { DatabaseHost } from './database-url.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { HostFailover } from './host-failover.ts'
import { migrate } from './migrate.ts'

const hosts: DatabaseHost[] = [
  { host: 'a', port: 1 },
  { host: 'b', port: 2 },
  { host: 'c', port: 3 },
]

describe('HostFailover', () => {
  it('tries the hosts in order from the current one, and stays with the one that answers', async () => {
    const failover = new HostFailover<string>(hosts)
    const tried: string[] = []
    const down = new Set(['a'])
    const open = async (host: DatabaseHost) => {
      tried.push(host.host)
      if (down.has(host.host)) throw new Error(`connect ECONNREFUSED ${host.host}`)
      return host.host
    }
    assert.equal(await failover.connect(open), 'b')
    assert.equal(await failover.connect(open), 'b')
    assert.deepEqual(tried, ['a', 'b', 'b'])
  })

  it('moves on from a host reported failed, once, and ignores a late report about a host already left', async () => {
    const failover = new HostFailover<string>(hosts)
    const open = async (host: DatabaseHost) => host.host
    assert.equal(await failover.connect(open), 'a')
    failover.failed(hosts[0]!)
    assert.equal(await failover.connect(open), 'b')
    failover.failed(hosts[0]!) // a second report of the same failure
    assert.equal(await failover.connect(open), 'b')
    failover.failed(hosts[1]!)
    failover.failed(hosts[0]!) // not the current one: ignored
    assert.equal(await failover.connect(open), 'c')
  })

  it('names every host in the error when none answers, in words the API turns into 503', async () => {
    const failover = new HostFailover<string>(hosts)
    await assert.rejects(
      failover.connect(async (host) => {
        throw new Error(`connect ECONNREFUSED ${host.host}`)
      }),
      /^Error: Could not connect to any database host \(a:1: connect ECONNREFUSED a; b:2: .*; c:3: .*\)$/,
    )
  })
})

// Two embedded wire servers stand in for two RethinkDB hosts. They do not
// replicate (reqlite is not RethinkDB), so what this shows is rtkit's part:
// the API's connection and the bridge's changefeeds move to the second host
// when the first stops, and the bridge announces a resync.
describe('a stack on two database hosts', () => {
  let first: EmbeddedDatabase
  let second: EmbeddedDatabase
  let stack: TestStack
  let client: TestClient
  const logs = captureLogs()

  before(async () => {
    first = await startEmbeddedDatabase({ dataDir: 'memory' })
    second = await startEmbeddedDatabase({ dataDir: 'memory' })
    for (const db of [first, second]) {
      const conn = await r.connect(credentialsOf(db))
      await migrate(conn, 'rtkit')
      await conn.close()
    }
    stack = await startTestStack({
      // Both embedded servers of this process share one password.
      RTKIT_RETHINKDB_URL: `rethinkdb://${new URL(first.url).username}:${new URL(first.url).password}@${first.host}:${first.port},${second.host}:${second.port}/rtkit`,
      RTKIT_SEED: 'false',
    })
  })
  after(async () => {
    client?.close()
    await stack?.close()
    await first?.close()
    await second?.close()
    logs.restore()
  })

  it('keeps taking writes through the second host when the first stops, and the bridge follows it', async (t: TestContext) => {
    const registered = await stack.api('POST', '/auth/register', {
      body: { username: 'failover', password: 'failover-pass', name: 'Failover' },
    })
    const { token } = registered.body as { token: string }
    const board = `failover-${randomUUID().slice(0, 8)}`
    client = await connectClient(stack.realtimeUrl, token)
    const changes = client.record(topicFor('tasks', board))
    const resyncs = client.record(RESYNC_TOPIC)
    await new Promise((resolve) => setTimeout(resolve, 250))
    const write = async () => {
      const id = randomUUID()
      // A client retries a 503; the API answers it while it moves to the next host.
      for (let attempt = 0; attempt < 10; attempt++) {
        const response = await stack.api('POST', '/collections/tasks', {
          token,
          body: { id, board, title: 'failover', status: 'todo', order: 1 },
        })
        if (response.status === 201) return id
        assert.equal(response.status, 503, JSON.stringify(response.body))
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error('no write succeeded')
    }

    const before = await write()
    await changes.next((event) => event.doc?.id === before)
    assert.equal((await rowsOn(first, board)).length, 1, 'written to the first host')

    await first.close()
    const stoppedAt = performance.now()
    const during = await write()
    t.diagnostic(`first host stopped → a write accepted through the second: ${Math.round(performance.now() - stoppedAt)} ms`)
    assert.deepEqual(await rowsOn(second, board), [during], 'written to the second host')
    await within(
      10_000,
      'a resync after the bridge moved',
      resyncs.next((event) => event.reason === 'database reconnected', 10_000),
    )
    const later = await write()
    await changes.next((event) => event.doc?.id === later)
    t.diagnostic(`first host stopped → the bridge publishes from the second: ${Math.round(performance.now() - stoppedAt)} ms`)
  })
})

async function rowsOn(db: EmbeddedDatabase, board: string): Promise<string[]> {
  const conn = await r.connect(credentialsOf(db))
  try {
    const rows = (await (await r.db('rtkit').table('tasks').filter({ board }).run(conn)).toArray()) as Array<{ id: string }>
    return rows.map((row) => row.id)
  } finally {
    await conn.close()
  }
}

/** Connection options of an embedded server, with its password. */
function credentialsOf(db: EmbeddedDatabase): r.ConnectionOptions {
  const url = new URL(db.url)
  return { host: db.host, port: db.port, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
}
