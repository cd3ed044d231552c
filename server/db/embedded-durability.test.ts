// The embedded database when its disk fails it, and when its files are damaged:
// a write the journal cannot take is not applied, not seen by a changefeed and
// refused as not durable; space returning lets writes through; nothing
// acknowledged is ever lost; and recovery never deletes what it could not read.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync, fsync, ftruncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import r, { type Connection } from 'rethinkdb'
import { captureLogs } from '../lib/log.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { NOT_DURABLE, type JournalFiles } from './embedded/disk-store.ts'
import { decodeLine } from './embedded/journal-lines.ts'
import type { RecoverPolicy } from './embedded/recovery.ts'

const folders: string[] = []
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

function dataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'rtkit-durability-'))
  folders.push(folder)
  return folder
}

/** node:fs, with a switch that makes the disk full (a short write first, then ENOSPC) and a count of fsyncs. */
function controlledFiles() {
  const state = { full: false, fsyncs: 0, failFsync: false }
  const noSpace = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  const files: JournalFiles = {
    write: (fd, buffer, offset) => {
      if (!state.full) return writeSync(fd, buffer, offset)
      // As a filling disk does: part of the line goes in, then nothing more.
      if (offset === 0 && buffer.length > 8) return writeSync(fd, buffer, 0, 8)
      throw noSpace()
    },
    truncate: (fd, length) => ftruncateSync(fd, length),
    fsync: (fd, done) => {
      state.fsyncs++
      if (state.failFsync) done(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }))
      else fsync(fd, done)
    },
  }
  return { state, files }
}

async function open(dataDir: string, files?: JournalFiles, recover?: RecoverPolicy) {
  const database = await startEmbeddedDatabase({ dataDir, files, recover })
  const conn = await r.connect({
    host: database.host,
    port: database.port,
    user: 'admin',
    password: decodeURIComponent(new URL(database.url).password),
    timeout: 5,
  })
  return { database, conn }
}

const things = () => r.db('test_db').table('things')
async function createTable(conn: Connection): Promise<void> {
  await r.dbCreate('test_db').run(conn)
  await r.db('test_db').tableCreate('things').run(conn)
}
async function ids(conn: Connection): Promise<string[]> {
  const rows = (await (await things().run(conn)).toArray()) as Array<{ id: string }>
  return rows.map((row) => row.id).sort()
}

async function stop(database: EmbeddedDatabase, conn: Connection, how: 'close' | 'crash'): Promise<void> {
  await conn.close({ noreplyWait: false }).catch(() => undefined)
  await database[how]()
}

describe('the embedded database on a full disk', () => {
  it('applies no write it cannot journal, shows it to no changefeed, and loses no acknowledged write once space returns', async () => {
    const dir = dataFolder()
    const { state, files } = controlledFiles()
    let { database, conn } = await open(dir, files)
    await createTable(conn)
    await things().insert({ id: 'kept', n: 0 }).run(conn)
    const seen: string[] = []
    const feed = await things().changes().run(conn)
    feed.each((error, change: { new_val: { id: string; n: number } | null; old_val: { id: string } | null }) => {
      if (!error) seen.push(`${(change.new_val ?? change.old_val)!.id}:${change.new_val ? change.new_val.n : 'removed'}`)
    })

    // Inserts, an update and a delete, all while the disk is full: each is refused as not durable.
    state.full = true
    const logs = captureLogs()
    const refused = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        things()
          .insert({ id: `lost-${i}`, n: 1 })
          .run(conn),
      ),
    )
    for (const write of [
      () => things().get('kept').update({ n: 1 }),
      () => things().get('kept').replace({ id: 'kept', n: 2 }),
      () => things().get('kept').delete(),
    ]) {
      refused.push(...(await Promise.allSettled([write().run(conn)])))
    }
    logs.restore()
    assert.equal(logs.lines.filter((line) => line.msg === 'a write could not be journaled; it was not applied').length, 23)
    for (const outcome of refused) {
      const message =
        outcome.status === 'rejected' ? String(outcome.reason) : String((outcome.value as unknown as { first_error?: string }).first_error)
      assert.match(message, new RegExp(NOT_DURABLE), 'each write is refused as not durable')
    }
    assert.deepEqual(await ids(conn), ['kept'], 'no refused write is visible')
    assert.deepEqual(await things().get('kept').run(conn), { id: 'kept', n: 0 }, 'the refused update and delete left the row as it was')

    // Space returns: writes go through again.
    state.full = false
    const acknowledged = Array.from({ length: 10 }, (_, i) => `after-${i}`)
    for (const id of acknowledged) await things().insert({ id, n: 3 }).run(conn)
    await things().get('kept').update({ n: 4 }).run(conn)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.deepEqual(
      seen.filter((change) => change.startsWith('lost-') || change === 'kept:1' || change === 'kept:2' || change === 'kept:removed'),
      [],
    )
    assert.equal(seen.filter((change) => change.startsWith('after-')).length, 10)

    // Every journal line is intact (no torn line in the middle), and a crash loses nothing acknowledged.
    const lines = readFileSync(join(dir, 'db', 'journal.jsonl'), 'utf8')
      .split('\n')
      .slice(0, -1)
    assert.ok(lines.length >= 11)
    for (const line of lines) assert.ok(decodeLine(line), `intact journal line: ${line.slice(0, 60)}`)
    await stop(database, conn, 'crash')
    ;({ database, conn } = await open(dir))
    assert.deepEqual(await ids(conn), ['kept', ...acknowledged].sort())
    assert.deepEqual(await things().get('kept').run(conn), { id: 'kept', n: 4 })
    await stop(database, conn, 'close')
  })

  it('fsyncs the journal after acknowledged writes, and tries again when an fsync fails', async () => {
    const dir = dataFolder()
    const { state, files } = controlledFiles()
    const logs = captureLogs()
    const { database, conn } = await open(dir, files)
    try {
      await createTable(conn)
      const waitForFsyncs = async (count: number) => {
        const deadline = Date.now() + 5_000
        while (state.fsyncs < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
        return state.fsyncs
      }
      const idle = state.fsyncs
      await new Promise((resolve) => setTimeout(resolve, 1_300))
      assert.equal(state.fsyncs, idle, 'nothing written, nothing to fsync')

      await things().insert({ id: 'a' }).run(conn)
      assert.ok((await waitForFsyncs(idle + 1)) > idle, 'an acknowledged write is fsynced within the interval')

      state.failFsync = true
      await things().insert({ id: 'b' }).run(conn)
      const failed = await waitForFsyncs(idle + 2)
      state.failFsync = false
      assert.ok((await waitForFsyncs(failed + 1)) > failed, 'a failed fsync is tried again')
      assert.ok(logs.lines.some((line) => line.msg === 'could not fsync the database journal'))
    } finally {
      logs.restore()
      await stop(database, conn, 'close')
    }
  })
})

describe('the embedded database on damaged files', () => {
  /** A folder with 20 acknowledged rows in its journal (a crash: no final snapshot). */
  async function crashedWithJournal(): Promise<{ dir: string; journal: string; written: string[] }> {
    const dir = dataFolder()
    const { database, conn } = await open(dir)
    await createTable(conn)
    const written = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}`)
    for (const id of written) await things().insert({ id }).run(conn)
    await stop(database, conn, 'crash')
    return { dir, journal: join(dir, 'db', 'journal.jsonl'), written }
  }

  it('refuses to start on a journal damaged before its end, naming the file, the line and the way on, and changes nothing', async () => {
    const { dir, journal } = await crashedWithJournal()
    const lines = readFileSync(journal, 'utf8').split('\n')
    const damagedLine = 10
    lines[damagedLine - 1] = lines[damagedLine - 1]!.replace('"t', '"x') // still JSON, wrong checksum
    writeFileSync(journal, lines.join('\n'))
    const before = readFileSync(journal)

    await assert.rejects(startEmbeddedDatabase({ dataDir: dir }), (error: Error) => {
      assert.equal(error.name, 'DamagedDataError')
      assert.ok(error.message.includes(journal), error.message)
      assert.match(error.message, new RegExp(`line ${damagedLine} `))
      assert.match(error.message, /RTKIT_RECOVER=skip-damaged/)
      return true
    })
    assert.deepEqual(readFileSync(journal), before, 'the journal is untouched')
    assert.equal(existsSync(join(dir, 'db', 'quarantine')), false)
    assert.equal(existsSync(join(dir, 'db', 'LOCK')), false, 'the folder is released')
  })

  it('with RTKIT_RECOVER=skip-damaged, keeps a copy aside, restores every intact record and lists what it skipped', async () => {
    const { dir, journal, written } = await crashedWithJournal()
    const lines = readFileSync(journal, 'utf8').split('\n')
    const damaged = lines.findIndex((line) => line.includes('"k":"t07"'))
    lines[damaged] = `${lines[damaged]!.slice(0, 30)}\u0000garbage`
    writeFileSync(journal, lines.join('\n'))
    const original = readFileSync(journal)

    const logs = captureLogs()
    const { database, conn } = await open(dir, undefined, 'skip-damaged').finally(() => logs.restore())
    assert.deepEqual(
      await ids(conn),
      written.filter((id) => id !== 't07'),
    )
    const quarantine = join(dir, 'db', 'quarantine')
    const copies = readdirSync(quarantine)
    const copy = copies.find((name) => name.endsWith('journal.jsonl'))!
    assert.deepEqual(readFileSync(join(quarantine, copy)), original, 'the damaged journal is kept as it was')
    assert.match(readFileSync(join(quarantine, `${copy}.skipped.txt`), 'utf8'), new RegExp(`^line ${damaged + 1}: `))
    const report = logs.lines.find((line) => String(line.msg).startsWith('the database journal is damaged'))
    assert.deepEqual(report?.skipped, [damaged + 1])
    await stop(database, conn, 'close')
  })

  it('refuses to start on a truncated snapshot with one line naming the file and what to do, no stack trace', async () => {
    const dir = dataFolder()
    const { database, conn } = await open(dir)
    await createTable(conn)
    await things()
      .insert({ id: 'x', text: 'y'.repeat(200) })
      .run(conn)
    await stop(database, conn, 'close')
    const snapshot = join(dir, 'db', 'snapshot.json')
    writeFileSync(snapshot, readFileSync(snapshot, 'utf8').slice(0, 100))
    const before = readFileSync(snapshot)

    const main = fileURLToPath(new URL('./embedded-main.ts', import.meta.url))
    const run = spawnSync(process.execPath, ['--import', 'tsx', main, '--port', '0', '--data', dir], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(run.status, 1)
    const lines = run.stderr.trim().split('\n')
    assert.equal(lines.length, 1, run.stderr)
    assert.match(
      lines[0]!,
      /^rtkit: the database snapshot .*snapshot\.json cannot be read \(.*\)\. Nothing was changed\. Restore the data folder from a backup/,
    )
    assert.doesNotMatch(run.stderr, /\n\s+at /)
    assert.deepEqual(readFileSync(snapshot), before)
  })
})
