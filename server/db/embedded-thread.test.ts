import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import r, { type Connection } from 'rethinkdb'
import { loadConfig } from '../config.ts'
import { captureLogs } from '../lib/log.ts'
import { connectOptions } from './connection.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { startEmbeddedDatabaseThread, type EmbeddedThreadOptions } from './embedded-thread.ts'
import { localSocketFor } from './local-socket.ts'

// The embedded database in a worker thread, as the stack runs it: the same
// engine behind the same interface, its start-up refusals with the engine's
// own errors, its log lines written by the starting thread, and a thread
// that stops without being asked noticed, not left unseen.

/** One scratch folder for the whole file; each test's data folder inside it is made by the engine. */
const scratch = mkdtempSync(join(tmpdir(), 'rtkit-thread-'))
let folderCount = 0
const dataFolder = () => join(scratch, `data-${folderCount++}`)
const running = new Set<EmbeddedDatabase>()
after(async () => {
  for (const database of running) await database.close()
  rmSync(scratch, { recursive: true, force: true })
})

async function started<T extends EmbeddedDatabase>(database: Promise<T>): Promise<T> {
  const opened = await database
  running.add(opened)
  const { close, crash } = opened
  return Object.assign(opened, {
    close: () => (running.delete(opened), close()),
    crash: () => (running.delete(opened), crash()),
  })
}

const thread = (options: EmbeddedThreadOptions) => started(startEmbeddedDatabaseThread(options))

function connect(database: EmbeddedDatabase): Promise<Connection> {
  const password = decodeURIComponent(new URL(database.url).password)
  return r.connect({ host: database.host, port: database.port, user: 'admin', password, timeout: 5 })
}

const things = () => r.db('test').table('things')

async function ids(database: EmbeddedDatabase): Promise<string[]> {
  const conn = await connect(database)
  try {
    const rows = (await (await things().run(conn)).toArray()) as Array<{ id: string }>
    return rows.map((row) => row.id).sort()
  } finally {
    await conn.close()
  }
}

/** A data folder holding `written` in test.things, left as a crash leaves it (journal only). */
async function folderWith(written: string[]): Promise<string> {
  const dir = dataFolder()
  const database = await thread({ dataDir: dir })
  const conn = await connect(database)
  await r.dbCreate('test').run(conn)
  await r.db('test').tableCreate('things').run(conn)
  for (const id of written) await things().insert({ id }).run(conn)
  await conn.close()
  await database.crash()
  return dir
}

describe('the embedded database in a worker thread', () => {
  it('serves on loopback with the password, and keeps acknowledged writes across a crash and a clean stop', async () => {
    const dir = await folderWith(['a', 'b', 'c'])
    const database = await thread({ dataDir: dir })
    assert.equal(database.host, '127.0.0.1')
    assert.deepEqual(await ids(database), ['a', 'b', 'c'])
    await assert.rejects(r.connect({ host: database.host, port: database.port, user: 'admin', password: 'wrong', timeout: 5 }))
    await database.close()
    assert.equal(existsSync(join(dir, 'db', 'LOCK')), false, 'the folder is released')
    const again = await thread({ dataDir: dir })
    assert.deepEqual(await ids(again), ['a', 'b', 'c'])
    await again.close()
  })

  it("writes the thread's log lines where the starting thread's go", async () => {
    const dir = await folderWith(['a'])
    const logs = captureLogs()
    try {
      const database = await thread({ dataDir: dir, logLevel: 'info' })
      await database.close()
    } finally {
      logs.restore()
    }
    assert.ok(
      logs.lines.some((line) => line.msg === 'database restored from disk' && line.part === 'database'),
      JSON.stringify(logs.lines),
    )
  })

  it("refuses a damaged data folder with the engine's own error and message, and starts past it with skip-damaged", async () => {
    const dir = await folderWith(['a'])
    writeFileSync(join(dir, 'db', 'snapshot.json'), '{"format": 1, "databa')
    const inProcess = await startEmbeddedDatabase({ dataDir: dir }).then(
      () => assert.fail('the engine started on a damaged snapshot'),
      (error: Error) => error,
    )
    await assert.rejects(startEmbeddedDatabaseThread({ dataDir: dir }), (error: Error) => {
      assert.equal(error.name, 'DamagedDataError')
      assert.equal(error.message, inProcess.message)
      assert.equal((error as Error & { expose?: boolean }).expose, true, 'printed as one line, without a stack')
      return true
    })
    assert.equal(existsSync(join(dir, 'db', 'quarantine')), false, 'nothing was changed')
    const database = await thread({ dataDir: dir, recover: 'skip-damaged' })
    assert.equal(readdirSync(join(dir, 'db', 'quarantine')).length, 1, 'the snapshot is kept aside')
    await database.close()
  })

  it('refuses a folder in use, whichever thread of this process or other process holds it', async () => {
    const dir = dataFolder()
    const first = await thread({ dataDir: dir })
    await assert.rejects(startEmbeddedDatabaseThread({ dataDir: dir }), /in use by process/)
    await assert.rejects(startEmbeddedDatabase({ dataDir: dir }), /in use by process/)
    await first.close()
    const inProcess = await started(startEmbeddedDatabase({ dataDir: dir }))
    await assert.rejects(startEmbeddedDatabaseThread({ dataDir: dir }), /in use by process/)
    await inProcess.close()
    // A LOCK left by another live process.
    mkdirSync(join(dir, 'db'), { recursive: true })
    writeFileSync(join(dir, 'db', 'LOCK'), String(process.ppid))
    await assert.rejects(startEmbeddedDatabaseThread({ dataDir: dir }), new RegExp(`in use by process ${process.ppid}`))
    rmSync(join(dir, 'db', 'LOCK'))
    const again = await thread({ dataDir: dir })
    await again.close()
  })

  it('refuses a port in use with its code', async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as net.AddressInfo
    try {
      const dir = dataFolder()
      await assert.rejects(startEmbeddedDatabaseThread({ dataDir: dir, port }), (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, 'EADDRINUSE')
        return true
      })
      assert.equal(existsSync(join(dir, 'db', 'LOCK')), false, 'the folder is released')
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })

  it("takes this process's connections by its Unix socket, other processes' by its port, and forgets the socket when it stops", async () => {
    const database = await thread({ dataDir: 'memory' })
    const options = connectOptions(loadConfig({ RTKIT_RETHINKDB_URL: database.url }).database)
    if (process.platform !== 'linux') {
      assert.equal(options.port, database.port, 'no Unix socket off Linux: the port')
      return database.close()
    }
    assert.ok(database.socketName, 'a socket besides the port')
    assert.equal(options.port, database.socketName, "this process's connections are sent to the socket")
    const conn = await r.connect(options)
    const socket = (conn as Connection & { rawSocket: net.Socket }).rawSocket
    assert.equal(socket.remoteAddress, undefined, 'not a TCP connection')
    assert.equal(await r.expr(3).add(4).run(conn), 7)
    await conn.close()
    const overTcp = await connect(database)
    assert.equal(await r.expr(3).add(4).run(overTcp), 7, 'the port still serves')
    await overTcp.close()
    await database.close()
    assert.equal(localSocketFor(database.host, database.port), undefined)
    assert.equal(connectOptions(loadConfig({ RTKIT_RETHINKDB_URL: database.url }).database).port, database.port)
    await assert.rejects(r.connect({ ...options, timeout: 2 }), 'the socket is gone')
  })

  it('drops client connections and keeps listening', async () => {
    const database = await thread({ dataDir: 'memory' })
    const conn = await connect(database)
    const closed = new Promise<void>((resolve) => conn.on('close', () => resolve()))
    database.dropConnections()
    await closed
    const again = await connect(database)
    await again.close()
    await database.close()
  })

  it('reports a thread that stops without being asked, and releases its folder for the next start', { timeout: 30_000 }, async () => {
    const dir = await folderWith(['a', 'b'])
    let reported: (error: Error) => void = () => undefined
    const failure = new Promise<Error>((resolve) => (reported = resolve))
    const database = await thread({ dataDir: dir, onFailure: (error) => reported(error) })
    await database.worker.terminate() // as an uncaught error or running out of memory would stop it
    assert.match((await failure).message, /stopped/)
    running.delete(database)
    await database.close() // nothing left to stop: resolves
    const again = await thread({ dataDir: dir })
    assert.deepEqual(await ids(again), ['a', 'b'])
    await again.close()
  })

  it('stops the server process with a log line when the thread stops unasked', { timeout: 60_000 }, async () => {
    const fixture = new URL('../testing/embedded-thread-crash.fixture.ts', import.meta.url).pathname
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000)
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    clearTimeout(timer)
    assert.match(output, /terminating the database thread/, output)
    assert.equal(code, 1, output)
    assert.match(output, /the embedded database stopped unexpectedly; the server stops/, output)
  })
})
