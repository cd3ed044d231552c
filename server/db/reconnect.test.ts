import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import r from 'rethinkdb'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { migrate } from './migrate.ts'
import { seed } from './seed.ts'

// The handlers reuse one database connection across invocations. When the
// database goes away, requests get 503 (so clients keep them queued and
// retry), and once it is back the next request reopens the connection: no
// restart of the API needed.

let stack: TestStack
let restarted: EmbeddedDatabase | undefined

before(async () => {
  stack = await startTestStack()
})
after(async () => {
  await stack.close()
  await restarted?.close()
})

const task = () => ({ id: randomUUID(), board: 'reconnect', title: 'After the outage', status: 'todo', order: 1 })

describe('when the database restarts', () => {
  it('answers 503 while it is down and recovers once it is back', async () => {
    const { token } = await stack.login('alice')
    assert.equal((await stack.api('POST', '/collections/tasks', { token, body: task() })).status, 201)

    const { port, host } = stack.embedded!
    await stack.embedded!.close()
    const logs = captureLogs()
    try {
      const down = await stack.api('POST', '/collections/tasks', { token, body: task() })
      assert.equal(down.status, 503)
      assert.equal(down.body.error.code, 'unavailable')
      assert.equal(down.headers.get('retry-after'), '1')
      const downAgain = await stack.api('GET', '/collections/tasks?board=reconnect', { token })
      assert.equal(downAgain.status, 503, 'reads too, once the connection is known to be gone')
    } finally {
      logs.restore()
    }

    // The embedded database keeps data in memory, so it comes back empty:
    // migrate and seed it again, as `npm start` would.
    restarted = await startEmbeddedDatabase(port, host)
    const conn = await r.connect({ host, port, db: stack.config.database.db })
    await migrate(conn, stack.config.database.db)
    await seed(conn)
    await conn.close()

    const doc = task()
    const up = await stack.api('POST', '/collections/tasks', { token, body: doc })
    assert.equal(up.status, 201)
    const listed = await stack.api('GET', '/collections/tasks?board=reconnect', { token })
    assert.deepEqual(
      listed.body.items.map((t: { id: string }) => t.id),
      [doc.id],
    )
  })
})
