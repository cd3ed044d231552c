import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import net from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import r, { type Connection } from 'rethinkdb'
import { captureLogs } from '../lib/log.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { decodeLine } from './embedded/journal-lines.ts'

// The embedded database on its own: credentials, loopback, data on disk
// across clean stops and crashes, and the ordered index that paging uses.

const folders: string[] = []
const running = new Set<EmbeddedDatabase>()
after(async () => {
  for (const database of running) await database.close()
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

function dataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'rtkit-embedded-'))
  folders.push(folder)
  return folder
}

async function start(dataDir: string | 'memory', port = 0): Promise<EmbeddedDatabase> {
  const database = await startEmbeddedDatabase({ dataDir, port })
  running.add(database)
  const { close, crash } = database
  return Object.assign(database, {
    close: () => (running.delete(database), close()),
    crash: () => (running.delete(database), crash()),
  })
}

function connect(database: EmbeddedDatabase, password = decodeURIComponent(new URL(database.url).password)): Promise<Connection> {
  return r.connect({ host: database.host, port: database.port, user: 'admin', password, timeout: 5 })
}

const table = () => r.db('test_db').table('things')
async function createTable(conn: Connection): Promise<void> {
  await r.dbCreate('test_db').run(conn)
  await r.db('test_db').tableCreate('things').run(conn)
  await table()
    .indexCreate('group_id', (row: r.Expression<unknown>) => [row('group'), row('id')] as unknown as r.Expression<unknown>)
    .run(conn)
}
async function all(conn: Connection): Promise<Array<Record<string, unknown>>> {
  const rows = (await (await table().run(conn)).toArray()) as Array<Record<string, unknown>>
  return [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)))
}
/** One page of `group`, the shape listDocuments uses. */
async function page(conn: Connection, group: string, after: string | null, limit: number): Promise<string[]> {
  const { minval, maxval } = r as unknown as { minval: unknown; maxval: unknown }
  const paging = table() as unknown as {
    between(l: unknown[], h: unknown[], o: object): { orderBy(o: object): { limit(n: number): r.Operation<unknown> } }
  }
  const result = await paging
    .between([group, after ?? minval], [group, maxval], { index: 'group_id', leftBound: after ? 'open' : 'closed' })
    .orderBy({ index: 'group_id' })
    .limit(limit)
    .run(conn)
  return (result as Array<{ id: string }>).map((row) => row.id)
}

describe('the embedded database', () => {
  describe('when a client connects', () => {
    it('requires the password (reqlite alone accepts anyone)', async () => {
      const database = await start('memory')
      await assert.rejects(connect(database, 'not the password'), /Could not connect/)
      await assert.rejects(r.connect({ host: database.host, port: database.port, timeout: 5 }), /Could not connect/, 'no password')
      const conn = await connect(database)
      assert.deepEqual(await r.expr(1).add(1).run(conn), 2)
      await conn.close()
      await database.close()
    })

    it('listens on loopback only', async (t) => {
      const database = await start('memory')
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal)
      if (!outside) return t.skip('this machine has no non-loopback IPv4 address to try')
      const reached = await new Promise<boolean>((resolve) => {
        const socket = net.connect(database.port, outside.address)
        socket.once('connect', () => (socket.destroy(), resolve(true)))
        socket.once('error', () => resolve(false))
      })
      assert.equal(reached, false, `port ${database.port} must not answer on ${outside.address}`)
      await database.close()
    })
  })

  describe('with a data folder', () => {
    it('keeps rows, updates, deletes and indexes across a clean stop, in owner-only files', async () => {
      const dir = dataFolder()
      let database = await start(dir)
      let conn = await connect(database)
      await createTable(conn)
      await table()
        .insert([
          { id: 'a', group: 'g', n: 1 },
          { id: 'b', group: 'g', n: 2 },
          { id: 'c', group: 'h', n: 3 },
        ])
        .run(conn)
      await table().get('a').update({ n: 10 }).run(conn)
      await table().get('b').delete().run(conn)
      const when = new Date('2024-05-06T07:08:09.000Z')
      await table()
        .insert({ id: 'd', group: 'h', tags: ['x', 'y'], when })
        .run(conn)
      await conn.close()
      await database.crash() // the journal has it all
      database = await start(dir, database.port)
      conn = await connect(database)
      assert.deepEqual(
        (await all(conn)).find((row) => row.id === 'd'),
        { id: 'd', group: 'h', tags: ['x', 'y'], when },
        'arrays and times come back from the journal',
      )
      await table().get('d').delete().run(conn)
      await conn.close()
      await database.close()

      assert.equal(statSync(join(dir, 'db')).mode & 0o777, 0o700)
      assert.equal(statSync(join(dir, 'db', 'snapshot.json')).mode & 0o777, 0o600)
      database = await start(dir, database.port)
      conn = await connect(database)
      assert.deepEqual(await all(conn), [
        { id: 'a', group: 'g', n: 10 },
        { id: 'c', group: 'h', n: 3 },
      ])
      assert.deepEqual([...(await table().indexList().run(conn))], ['group_id'])
      assert.deepEqual(await page(conn, 'g', null, 10), ['a'])
      await conn.close()
      await database.close()
    })

    it('loses no acknowledged write when it crashes (no final snapshot), and ignores a torn last journal line', async () => {
      const dir = dataFolder()
      let database = await start(dir)
      let conn = await connect(database)
      await createTable(conn)
      const ids = Array.from({ length: 50 }, (_, i) => `id${String(i).padStart(2, '0')}`)
      for (const id of ids) await table().insert({ id, group: 'g' }).run(conn)
      await table().get('id07').update({ renamed: true }).run(conn)
      await table().get('id08').delete().run(conn)
      await conn.close()
      await database.crash()
      // A write cut short by the crash leaves half a line; it was never acknowledged.
      appendFileSync(join(dir, 'db', 'journal.jsonl'), '{"d":"test_db","t":"things","k":"half')

      const logs = captureLogs()
      try {
        database = await start(dir, database.port)
      } finally {
        logs.restore()
      }
      conn = await connect(database)
      const rows = await all(conn)
      assert.deepEqual(
        rows.map((row) => row.id),
        ids.filter((id) => id !== 'id08'),
      )
      assert.equal(rows.find((row) => row.id === 'id07')?.renamed, true)
      assert.equal(
        logs.lines.some((line) => line.level === 'error'),
        false,
        'a torn last line is expected after a crash, not an error',
      )
      await conn.close()
      await database.close()
    })

    it('refuses a second database on a folder in use', async () => {
      const dir = dataFolder()
      const database = await start(dir)
      await assert.rejects(start(dir), /in use by process/)
      await database.close()
      const again = await start(dir)
      await again.close()
    })

    it('writes the journal before it answers, and a snapshot before it answers a schema change', async () => {
      const dir = dataFolder()
      const database = await start(dir)
      const conn = await connect(database)
      await createTable(conn)
      const snapshot = JSON.parse(readFileSync(join(dir, 'db', 'snapshot.json'), 'utf8'))
      assert.ok(snapshot.databases.test_db.things.indexes.group_id, 'the new index is in the snapshot already')
      await table().insert({ id: 'x', group: 'g' }).run(conn)
      const journal = readFileSync(join(dir, 'db', 'journal.jsonl'), 'utf8')
        .trim()
        .split('\n')
      assert.deepEqual(decodeLine(journal.at(-1)!), { d: 'test_db', t: 'things', k: 'x', v: { id: 'x', group: 'g' } })
      await conn.close()
      await database.close()
    })
  })

  describe('changefeeds', () => {
    it('answers a continue with every change waiting for it, in order, and keeps none back', async () => {
      const database = await start('memory')
      const conn = await connect(database)
      await createTable(conn)
      // Responses as the driver receives them, counted by the rows they carry.
      const batches: number[] = []
      const internals = conn as unknown as { _processResponse(response: { t: number; r: unknown[] }, token: number): void }
      const receive = internals._processResponse.bind(conn)
      internals._processResponse = (response, token) => {
        if (response.t === 3 && response.r.length > 0) batches.push(response.r.length) // SUCCESS_PARTIAL
        receive(response, token)
      }
      const cursor = await table().changes().run(conn)
      const first = cursor.next()
      // One insert of five rows: the first change answers the waiting continue, four wait for the next.
      await table()
        .insert(['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => ({ id, group: 'g' })))
        .run(conn)
      const seen = [((await first) as { new_val: { id: string } }).new_val.id]
      while (seen.length < 5) seen.push(((await cursor.next()) as { new_val: { id: string } }).new_val.id)
      assert.deepEqual(seen, ['c1', 'c2', 'c3', 'c4', 'c5'])
      assert.deepEqual(batches, [1, 4], 'the four waiting changes came in one answer, not one each')
      await cursor.close()
      await conn.close()
      await database.close()
    })
  })

  describe('paging with a compound index', () => {
    it('pages a partition in index order, following every change, and skips rows without the indexed fields', async () => {
      const database = await start('memory')
      const conn = await connect(database)
      await createTable(conn)
      const ids = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, '0')}`)
      // Inserted out of order, mixed with another group and with rows lacking `group` (like tombstones),
      // on which reqlite's own `between` fails.
      await table()
        .insert([...ids].reverse().map((id, i) => ({ id, group: i % 2 ? 'g' : 'h' })))
        .run(conn)
      await table()
        .insert([{ id: 't05x' }, { id: 'zz' }])
        .run(conn)
      const inG = ids.filter((_, i) => (ids.length - 1 - i) % 2 === 1)

      const walk = async () => {
        const seen: string[] = []
        for (let cursor: string | null = null; ;) {
          const ids = await page(conn, 'g', cursor, 4)
          seen.push(...ids)
          if (ids.length < 4) return seen
          cursor = ids.at(-1)!
        }
      }
      assert.deepEqual(await walk(), inG)

      // Changes are followed: a move between groups, a delete, an insert, a replace by a row without `group`.
      await table().get(inG[0]!).update({ group: 'h' }).run(conn)
      await table().get(inG[1]!).delete().run(conn)
      await table().insert({ id: 't99', group: 'g' }).run(conn)
      await table()
        .get(inG[2]!)
        .replace({ id: inG[2]!, tombstone: true } as never)
        .run(conn)
      assert.deepEqual(await walk(), [...inG.slice(3), 't99'])

      // Rows with arrays, objects and times come out as they went in.
      const when = new Date('2024-05-06T07:08:09.000Z')
      await table()
        .insert({ id: 't98', group: 'g', tags: ['a', 'b'], meta: { n: 1, deep: [1, { x: 2 }] }, when })
        .run(conn)
      const { maxval } = r as unknown as { maxval: unknown }
      const [row] = (await (
        table() as unknown as {
          between(l: unknown[], h: unknown[], o: object): { orderBy(o: object): { limit(n: number): r.Operation<unknown> } }
        }
      )
        .between(['g', 't98'], ['g', maxval], { index: 'group_id' })
        .orderBy({ index: 'group_id' })
        .limit(1)
        .run(conn)) as Array<Record<string, unknown>>
      assert.deepEqual({ ...row }, { id: 't98', group: 'g', tags: ['a', 'b'], meta: { n: 1, deep: [1, { x: 2 }] }, when })
      await conn.close()
      await database.close()
    })
  })
})
