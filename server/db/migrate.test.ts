import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import r, { type Connection } from 'rethinkdb'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { migrate } from './migrate.ts'

// Migrations run on every start, against whatever the database already
// holds: a database made by an earlier version gains what this one
// declares (the [partition, id] paging indexes), and nothing else changes.

let database: EmbeddedDatabase
let conn: Connection
const db = 'rtkit_migrate_test'

before(async () => {
  database = await startEmbeddedDatabase({ dataDir: 'memory' })
  const url = new URL(database.url)
  conn = await r.connect({ host: url.hostname, port: Number(url.port), user: 'admin', password: decodeURIComponent(url.password) })
})
after(async () => {
  await conn.close()
  await database.close()
})

describe('migrate', () => {
  it('adds the paging indexes to a database an earlier version made, keeps its rows, and is idempotent', async () => {
    // Prepare: the schema before this version (partition indexes only, a tombstones table) and a few rows.
    await r.dbCreate(db).run(conn)
    for (const [table, index] of [
      ['users', 'userId'],
      ['tasks', 'board'],
      ['messages', 'room'],
      ['tombstones', undefined],
    ] as const) {
      await r.db(db).tableCreate(table).run(conn)
      if (index) await r.db(db).table(table).indexCreate(index).run(conn)
    }
    const tasks = ['b', 'a', 'c'].map((id) => ({ id, board: 'old', title: id, status: 'todo', order: 1, version: 1 }))
    await r.db(db).table('tasks').insert(tasks).run(conn)

    // Act: twice, as two starts (or two nodes of a cluster) would.
    await migrate(conn, db)
    await migrate(conn, db)

    // Assess
    assert.deepEqual([...(await r.db(db).table('tasks').indexList().run(conn))].sort(), ['board', 'board_id'])
    assert.deepEqual([...(await r.db(db).table('messages').indexList().run(conn))].sort(), ['createdAt', 'room', 'room_id'])
    const { minval, maxval } = r as unknown as { minval: unknown; maxval: unknown }
    const page = (await (
      r.db(db).table('tasks') as unknown as {
        between(l: unknown[], h: unknown[], o: object): { orderBy(o: object): { limit(n: number): r.Operation<Array<{ id: string }>> } }
      }
    )
      .between(['old', minval], ['old', maxval], { index: 'board_id' })
      .orderBy({ index: 'board_id' })
      .limit(10)
      .run(conn)) as Array<{ id: string }>
    assert.deepEqual(
      page.map((task) => task.id),
      ['a', 'b', 'c'],
      'existing rows are in the new index, in order',
    )
  })
})
