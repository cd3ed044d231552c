import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { eventually, lostWrites, startWriteLoad } from '../testing/write-load.ts'

// The database process is killed (SIGKILL) under load and comes back from
// its data folder. Every write the server acknowledged must be there
// afterwards, and requests meanwhile get 503, never 500.

const cleanups: Array<() => Promise<void> | void> = []
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

function dataFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'rtkit-restart-'))
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The embedded database as its own process (`server/db/embedded-main.ts`), as a local cluster runs it. */
async function databaseProcess(port: number, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const entry = new URL('./embedded-main.ts', import.meta.url).pathname
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', String(port), '--data', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(() => void child.kill('SIGKILL'))
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`the database printed no ready line in 30 s: ${output}`)), 30_000)
    child.stdout!.on('data', (chunk) => {
      output += chunk
      const found = /^rtkit database ready url=(\S+)/m.exec(output)?.[1]
      if (found) resolve(found)
      if (found) clearTimeout(timer)
    })
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => reject(new Error(`the database exited with ${code}: ${output}`)))
  })
  return { child, url }
}

describe('when the embedded database is killed under load and restarted', { timeout: 180_000 }, () => {
  it('keeps every acknowledged write, and answers 503 (never 500) while it is down', async (t) => {
    const dir = dataFolder()
    const port = await freePort()
    let database = await databaseProcess(port, dir)
    const stack: TestStack = await startTestStack({ RTKIT_RETHINKDB_URL: database.url })
    cleanups.push(() => stack.close())
    const { token } = await stack.login('alice')
    const board = `restart-${Date.now()}`
    const logs = captureLogs() // the outage is logged as warnings; keep them out of the output
    cleanups.push(() => logs.restore())

    const load = startWriteLoad({ apiUrl: stack.apiUrl, token, board, writers: 4, tasksPerWriter: 40, deadlineMs: 120_000 })
    await eventually('a third of the writes to be acknowledged', () => load.acknowledged() >= 100)
    database.child.kill('SIGKILL')
    await new Promise((resolve) => database.child.once('exit', resolve))
    const before = load.statuses.get(503) ?? 0
    await eventually('a request to meet the outage', () => (load.statuses.get(503) ?? 0) > before)
    database = await databaseProcess(port, dir)

    const acknowledged = await load.done
    const lost = lostWrites(
      acknowledged,
      (await stack.rows('tasks')).filter((row) => acknowledged.has(row.id)),
    )
    t.diagnostic(
      `${acknowledged.size} tasks, ${load.acknowledged()} acknowledged writes, ${lost.length} lost; answers ${JSON.stringify([...load.statuses])}`,
    )
    assert.deepEqual(lost, [])
    assert.equal(load.statuses.get(500), undefined, 'no 500 during the restart')
    assert.ok((load.statuses.get(503) ?? 0) > 0)
  })
})
