/**
 * End to end through the README's command: `npm start` on a data folder,
 * under a bounded write load.
 *
 * - SIGKILL of the whole `npm start` process tree (every process dies at
 *   once), then a fresh `npm start` on the same folder: every acknowledged
 *   write is there, and the demo seed does not run again.
 * - SIGTERM to the npm process alone (what a process manager or CI sends):
 *   every part stops, every port is freed, and the data is flushed.
 *
 * Run: node --import tsx --test e2e/npm-start-faults.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import r from 'rethinkdb'
import { eventually, lostWrites, startWriteLoad, type Acknowledged } from '../server/testing/write-load.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'
import { killGroup } from '../server/testing/process-group.ts'

const root = new URL('..', import.meta.url).pathname
const dataDir = mkdtempSync(join(tmpdir(), 'rtkit-npm-start-'))
const DEMO_TASK = '10000000-0000-4000-8000-000000000004' // seeded "Set up the status page"

interface Started {
  npm: ChildProcess
  urls: Record<string, string>
  databasePort: number
  output: string
}
const started: Started[] = []

after(() => {
  // Safety net: whatever is left of each process group the tests started (a
  // server orphaned by a failed stop included) is killed.
  for (const { npm } of started) killGroup(npm.pid!)
  rmSync(dataDir, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** `npm start` on the data folder, in its own process group; resolves with its printed URLs. */
function npmStart(apiPort: number): Promise<Started> {
  const npm = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      RTKIT_DATA_DIR: dataDir,
      RTKIT_API_PORT: String(apiPort),
      RTKIT_REALTIME_PORT: '0',
      RTKIT_DEMO_PORT: '0',
      RTKIT_RETHINKDB_URL: '',
      RTKIT_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(npm.pid!) // not ready: nothing of it outlives the test
      reject(new Error(`npm start printed no ready line within 60 s: ${output}`))
    }, 60_000)
    let output = ''
    npm.stdout!.on('data', (chunk) => {
      output += chunk
      const ready = /^rtkit ready (.*)$/m.exec(output)?.[1]
      const database = /^database: embedded, rethinkdb:\/\/127\.0\.0\.1:(\d+)/m.exec(output)?.[1]
      if (!ready || !database || !/^data: /m.test(output)) return
      clearTimeout(timer)
      const urls = Object.fromEntries(ready.split(' ').map((pair) => pair.split('=') as [string, string]))
      const run = { npm, urls, databasePort: Number(database), output }
      started.push(run)
      resolve(run)
    })
    npm.stderr!.on('data', (chunk) => (output += chunk))
    npm.on('exit', (code) => reject(new Error(`npm start exited early with ${code}: ${output}`)))
  })
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve))

async function login(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: DEMO_PASSWORD }),
  })
  assert.equal(response.status, 200)
  return ((await response.json()) as { token: string }).token
}

/** Every row of `tasks`, tombstones included, as the snapshot on disk holds it (after a clean stop). */
function snapshotRows(): any[] {
  const snapshot = JSON.parse(readFileSync(join(dataDir, 'db', 'snapshot.json'), 'utf8'))
  return snapshot.databases.rtkit.tasks.rows
}

describe('npm start on a data folder', { timeout: 300_000 }, () => {
  const board = `npm-start-${Date.now()}`
  let apiPort: number
  let acknowledged: Map<string, Acknowledged>
  let current: Started

  it('prints where the data lives and how to start over', async () => {
    apiPort = await freePort()
    current = await npmStart(apiPort)
    assert.ok(current.output.includes(`\ndata: ${dataDir} (delete the folder to start over)\n`), current.output)
    assert.match(
      current.output,
      /^demo: added the accounts alice and bob \(password rtkit-demo\), the board launch and the room lobby to the empty store;/m,
      'an empty folder is seeded, and says so',
    )
    const token = await login(current.urls.api!)
    // Deleted before the crash: the seed must not bring it back on the next start.
    const removed = await fetch(`${current.urls.api}/collections/tasks/${DEMO_TASK}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(removed.status, 200)
  })

  it('loses no acknowledged write when the whole process tree is killed, and a fresh start has them all', async (t) => {
    const token = await login(current.urls.api!)
    const load = startWriteLoad({ apiUrl: current.urls.api!, token, board, writers: 3, tasksPerWriter: 30, deadlineMs: 150_000 })
    await eventually('a third of the writes to be acknowledged', () => load.acknowledged() >= 60, 60_000)
    process.kill(-current.npm.pid!, 'SIGKILL') // every process of the tree at once
    await exited(current.npm)
    const before = load.statuses.get(0) ?? 0
    await eventually('a request to find the server gone', () => (load.statuses.get(0) ?? 0) > before)

    current = await npmStart(apiPort) // same folder, same API port: the writers' retries reach it
    acknowledged = await load.done
    const conn = await r.connect({
      host: '127.0.0.1',
      port: current.databasePort,
      user: 'admin',
      password: readFileSync(join(dataDir, 'db-password'), 'utf8').trim(),
    })
    const rows = (await (await r.db('rtkit').table('tasks').run(conn)).toArray()) as any[]
    await conn.close()
    const lost = lostWrites(
      acknowledged,
      rows.filter((row) => acknowledged.has(row.id)),
    )
    t.diagnostic(
      `${acknowledged.size} tasks, ${load.acknowledged()} acknowledged writes, ${lost.length} lost; answers ${JSON.stringify([...load.statuses])}`,
    )
    assert.deepEqual(lost, [])
    const demo = await fetch(`${current.urls.api}/collections/tasks?board=launch`, { headers: { authorization: `Bearer ${token}` } })
    const demoIds = ((await demo.json()) as { items: Array<{ id: string }> }).items.map((task) => task.id)
    assert.ok(!demoIds.includes(DEMO_TASK), 'the demo seed did not run into a store that has data')
    assert.doesNotMatch(current.output, /^demo: /m, 'nor says it did')
  })

  it('stops every part on SIGTERM to the npm process alone, frees every port and flushes the data', async (t) => {
    const ports = [
      Number(new URL(current.urls.api!).port),
      Number(new URL(current.urls.realtime!).port),
      Number(new URL(current.urls.demo!).port),
      current.databasePort,
    ]
    assert.deepEqual(await Promise.all(ports.map(listening)), [true, true, true, true])
    process.kill(current.npm.pid!, 'SIGTERM') // npm's pid only, not its group
    await exited(current.npm)
    let open = await Promise.all(ports.map(listening))
    for (let tries = 0; open.some(Boolean) && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      open = await Promise.all(ports.map(listening))
    }
    assert.deepEqual(open, [false, false, false, false], 'api, realtime, demo and database ports all freed')
    // Flushed: a final snapshot holds everything and the journal is empty.
    assert.equal(statSync(join(dataDir, 'db', 'journal.jsonl')).size, 0)
    const lost = lostWrites(
      acknowledged,
      snapshotRows().filter((row) => acknowledged.has(row.id)),
    )
    t.diagnostic(`${lost.length} acknowledged writes missing from the final snapshot`)
    assert.deepEqual(lost, [])
  })
})
