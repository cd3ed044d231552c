import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import r, { type Connection } from 'rethinkdb'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { tasks } from '../collections/builtins.ts'
import { compileConfig } from '../collections/compile.ts'
import { defineCollection, defineConfig, text } from '../collections/define.ts'
import { defaultCollections, useCollections } from '../collections/registry.ts'
import { captureLogs } from '../lib/log.ts'
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
  it("creates a declared collection's table and indexes, and keeps the table of one the config no longer declares", async () => {
    const other = 'rtkit_migrate_config_test'
    const votes = defineCollection({
      name: 'votes',
      partitionKey: 'poll',
      fields: { choice: text({ max: 10 }) },
      indexes: ['choice'],
      rules: { read: () => true },
    })
    useCollections(compileConfig(defineConfig({ collections: [tasks, votes] }), 'test config'))
    await migrate(conn, other)
    await r.db(other).table('votes').insert({ id: 'v1', poll: 'p', choice: 'red', version: 1 }).run(conn)
    assert.deepEqual([...(await r.db(other).table('votes').indexList().run(conn))].sort(), ['choice', 'poll_id'])

    // The next start's config leaves votes out: its table and rows stay, and start-up says so.
    useCollections(compileConfig(defineConfig({ collections: [tasks] }), 'test config'))
    const logs = captureLogs()
    try {
      await migrate(conn, other)
    } finally {
      logs.restore()
      useCollections(defaultCollections())
    }
    assert.ok((await r.db(other).tableList().run(conn)).includes('votes'))
    assert.equal(await r.db(other).table('votes').count().run(conn), 1)
    assert.ok(logs.lines.some((line) => line.msg === 'table votes is kept: no collection declares it'))
  })
})
