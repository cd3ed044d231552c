import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import r from 'rethinkdb'
import { findCollection } from '../collections/registry.ts'
import type { Doc } from '../../contracts/documents.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { connectOptions } from './connection.ts'
import { insertDocument, removeDocument, updateDocument, type WriteOutcome } from './documents.ts'

const tasks = findCollection('tasks')!

// An update or delete conditioned on `version` must be one atomic step on
// the database: of many concurrent writers holding the same version, exactly
// one wins. reqlite evaluates a write function through promises, so two
// queries' reads and writes interleaved and several writers "won" the same
// version (the row moved one version while each was told it was stored).
// The embedded database now runs the write queries of a table one at a time
// (server/db/embedded/write-order.ts).

const WRITERS = 8

const newTask = (board: string) => ({ id: randomUUID(), board, title: 'Contended', status: 'todo' as const, order: 1 })

describe('the version check and the write are one atomic step', () => {
  let stack: TestStack
  before(async () => {
    stack = await startTestStack()
  })
  after(() => stack.close())

  // The handler's own pre-check would answer most losers before they reach
  // the database; calling the data access directly leaves only the database's
  // compare-and-set between the writers.
  it('in the data access: of concurrent updates and deletes at one version, exactly one wins', async () => {
    for (let round = 0; round < 6; round++) {
      const now = new Date().toISOString()
      const inserted = await insertDocument(tasks, {
        ...newTask('cas-direct'),
        version: 1,
        createdAt: now,
        updatedAt: now,
        createdBy: 'cas-test',
      })
      assert.equal(inserted.status, 'created')
      let stored = inserted.doc
      let winners = 0
      for (let version = 1; version <= 4; version++) {
        const existing = stored
        const outcomes: WriteOutcome[] = await Promise.all(
          Array.from({ length: WRITERS }, (_, writer) =>
            // Every fourth writer deletes; the rest patch.
            writer % 4 === 3
              ? removeDocument(tasks, existing, version, 'cas-test')
              : updateDocument(
                  tasks,
                  existing.id,
                  version,
                  { title: `round ${round} v${version} writer ${writer}` },
                  new Date().toISOString(),
                ),
          ),
        )
        const won = outcomes.filter((outcome) => outcome.status === 'ok')
        assert.equal(won.length, 1, `version ${version}: ${won.length} writers were told they won`)
        winners++
        const [row] = (await stack.rows('tasks')).filter((t) => t.id === existing.id)
        assert.equal(row.version, version + 1, 'the row moved one version')
        if (row.tombstone) {
          for (const outcome of outcomes) if (outcome.status !== 'ok') assert.equal(outcome.status, 'missing')
          break
        }
        // The winner's change is what is stored, and every loser was shown it.
        assert.equal(row.title, (won[0] as { doc: Doc }).doc.title)
        for (const outcome of outcomes) {
          if (outcome.status === 'ok') continue
          assert.equal(outcome.status, 'conflict')
          assert.deepEqual(outcome.current, row)
        }
        stored = row
      }
      const [final] = (await stack.rows('tasks')).filter((t) => t.id === inserted.doc.id)
      assert.equal(final.version, 1 + winners)
    }
  })

  // Several gateway processes share one embedded database, each with its own
  // connection: the database, not any one client, must order the writes.
  it('in the database: conditional writes from many connections at one version, exactly one wins', async () => {
    const connections = await Promise.all(Array.from({ length: WRITERS }, () => r.connect(connectOptions(stack.config.database))))
    try {
      for (let round = 0; round < 6; round++) {
        const task = { ...newTask('cas-connections'), version: 1 }
        await r.table('tasks').insert(task).run(connections[0]!)
        const results = await Promise.all(
          connections.map((conn, writer) =>
            r
              .table('tasks')
              .get(task.id)
              .update((row: any) =>
                (r as any).branch(
                  row('version').eq(1),
                  { title: `writer ${writer}`, version: row('version').add(1) },
                  (r as any).error('stale'),
                ),
              )
              .run(conn),
          ),
        )
        assert.equal(results.filter((result) => result.replaced === 1).length, 1, `round ${round}: more than one writer replaced version 1`)
        const [row] = (await stack.rows('tasks')).filter((t) => t.id === task.id)
        assert.equal(row.version, 2)
      }
    } finally {
      await Promise.all(connections.map((conn) => conn.close()))
    }
  })
})

describe('concurrent PATCHes and DELETEs through HTTP, on fresh stacks', () => {
  for (let run = 1; run <= 3; run++) {
    it(`stack ${run}: one winner per version, every loser 409 with the current document`, async () => {
      const stack = await startTestStack()
      try {
        const { token } = await stack.login('alice')
        for (let document = 0; document < 3; document++) {
          const task = newTask(`cas-http-${run}`)
          assert.equal((await stack.api('POST', '/collections/tasks', { token, body: task })).status, 201)
          let winners = 0
          for (let version = 1; version <= 4; version++) {
            const answers = await Promise.all(
              Array.from({ length: WRITERS }, (_, writer) =>
                writer % 4 === 3
                  ? stack.api('DELETE', `/collections/tasks/${task.id}?expectedVersion=${version}`, { token })
                  : stack.api('PATCH', `/collections/tasks/${task.id}`, {
                      token,
                      body: { expectedVersion: version, title: `v${version} writer ${writer}` },
                    }),
              ),
            )
            const won = answers.filter((answer) => answer.status === 200)
            assert.equal(won.length, 1, `version ${version}: statuses ${answers.map((answer) => answer.status).join(',')}`)
            winners++
            const deleted = !('title' in won[0]!.body) // a delete answers { id, version }
            for (const answer of answers) {
              if (answer === won[0]) continue
              if (deleted) {
                // The document is gone: there is no current document to show.
                assert.equal(answer.status, 404)
              } else {
                assert.equal(answer.status, 409)
                assert.deepEqual(answer.body.error.details.current, won[0]!.body)
              }
            }
            const [row] = (await stack.rows('tasks')).filter((t) => t.id === task.id)
            assert.equal(row.version, 1 + winners, 'the row moved one version per winner')
            if (deleted) break
          }
        }
      } finally {
        await stack.close()
      }
    })
  }
})
