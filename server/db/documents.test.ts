import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { injectFault, type FaultPoint } from './fault-points.ts'

// A delete and its tombstone are one write (the tombstone replaces the
// document's row), so no crash point can leave the document gone without
// its tombstone, which a late replay of its insert would then resurrect.
// These tests crash the database at each point of a delete, restart it from
// its data folder, and look.

const dataDir = mkdtempSync(join(tmpdir(), 'rtkit-delete-crash-'))
let stack: TestStack
let database: EmbeddedDatabase
let token: string

before(async () => {
  stack = await startTestStack({ RTKIT_DATA_DIR: dataDir })
  database = stack.embedded!
  token = (await stack.login('alice')).token
})
after(async () => {
  await stack.close()
  if (database !== stack.embedded) await database.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const newTask = () => ({ id: randomUUID(), board: 'crash', title: 'Delete me', status: 'todo', order: 1 })

/** Runs `request` with the database crashing at `point`; then restarts it from disk. */
async function crashingAt(point: FaultPoint, request: () => Promise<{ status: number }>): Promise<number> {
  const remove = injectFault(point, async () => {
    await database.crash()
    throw new Error(`crashed at ${point}`)
  })
  const logs = captureLogs()
  try {
    return (await request()).status
  } finally {
    remove()
    logs.restore()
    database = await startEmbeddedDatabase({ dataDir, port: database.port })
  }
}

describe('a delete that crashes', () => {
  it('after its write: the document is gone and its tombstone is there, so a replayed insert cannot bring it back', async () => {
    const task = newTask()
    assert.equal((await stack.api('POST', '/collections/tasks', { token, body: task })).status, 201)

    const status = await crashingAt('delete:after-write', () => stack.api('DELETE', `/collections/tasks/${task.id}`, { token }))
    assert.notEqual(status, 200, 'the client never got an answer, so it keeps the delete queued')

    assert.equal((await stack.api('GET', '/collections/tasks?board=crash', { token })).body.items.length, 0)
    const [row] = (await stack.rows('tasks')).filter((t) => t.id === task.id)
    assert.deepEqual({ tombstone: row.tombstone, version: row.version }, { tombstone: true, version: 2 })
    const replay = await stack.api('POST', '/collections/tasks', { token, body: task })
    assert.equal(replay.status, 409)
    assert.deepEqual(replay.body.error.details, { deleted: { id: task.id, version: 2 } })
    // The client's retry of the delete finds it done.
    assert.equal((await stack.api('DELETE', `/collections/tasks/${task.id}`, { token })).status, 404)
  })

  it('before its write: the document is untouched, with no tombstone, and the retried delete succeeds', async () => {
    const task = newTask()
    assert.equal((await stack.api('POST', '/collections/tasks', { token, body: task })).status, 201)

    await crashingAt('delete:before-write', () => stack.api('DELETE', `/collections/tasks/${task.id}`, { token }))

    const [row] = (await stack.rows('tasks')).filter((t) => t.id === task.id)
    assert.equal(row.tombstone, undefined)
    assert.equal(row.version, 1)
    const retried = await stack.api('DELETE', `/collections/tasks/${task.id}`, { token })
    assert.deepEqual([retried.status, retried.body], [200, { id: task.id, version: 2 }])
    assert.equal((await stack.api('POST', '/collections/tasks', { token, body: task })).status, 409)
  })
})
