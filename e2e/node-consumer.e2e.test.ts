/**
 * `rtkit/services` in a Node.js script, from the packed client tarball, as
 * the README promises: a kit signs in, writes and sees its write live. Node.js
 * 20 has no global WebSocket; with the `ws` package installed the kit uses it,
 * and without it the kit says what to install instead of crashing.
 *
 * Run: node --import tsx --test e2e/node-consumer.e2e.test.ts (after `npm run pack`)
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startTestStack, type TestStack } from '../server/testing/test-stack.ts'
import { sh, tarballs } from './installed-server.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

const SCRIPT = `
import { createKit } from 'rtkit/services'
const [apiUrl, realtimeUrl, board] = process.argv.slice(2)
const kit = createKit({ apiUrl, realtimeUrl, storage: { get: () => null, set() {}, remove() {} } })
// Offline, a kit keeps its commands queued for as long as it runs: give up after a while.
setTimeout(() => {
  console.log('gave up')
  process.exit(0)
}, 10_000).unref()
try {
  await kit.login('alice', ${JSON.stringify(DEMO_PASSWORD)})
  const seen = new Promise((resolve) =>
    kit.collection('tasks').where({ board }).watch().subscribe((tasks) => {
      if (tasks.some((task) => task.title === 'From Node' && !task.pending)) resolve(tasks.length)
    }),
  )
  await kit.collection('tasks').insert({ board, title: 'From Node', status: 'todo', order: 1 }).settled
  console.log('seen', await Promise.race([seen, new Promise((resolve) => setTimeout(() => resolve('nothing live'), 8000))]))
} catch (error) {
  console.log('failed', error.message)
} finally {
  await kit.dispose()
}
`

describe('rtkit/services in a Node.js script, from the tarball', () => {
  let folder: string
  let stack: TestStack

  before(async () => {
    assert.ok(existsSync(tarballs.client), 'run `npm run pack` first')
    folder = mkdtempSync(join(tmpdir(), 'rtkit-node-consumer-'))
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'script', private: true, type: 'module' }))
    await sh(folder, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarballs.client])
    writeFileSync(join(folder, 'board.mjs'), SCRIPT)
    stack = await startTestStack()
  })
  after(async () => {
    await stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  const runScript = (board: string) => sh(folder, process.execPath, ['board.mjs', stack.apiUrl, stack.realtimeUrl, board], 60_000)

  it('without a global WebSocket and without ws, says to install ws', async () => {
    if (typeof globalThis.WebSocket !== 'undefined') return // Node.js 22 and later need nothing
    const output = await runScript('node-without-ws')
    assert.match(output, /^rtkit: rtkit\/services needs a WebSocket: in Node\.js before 22, install the `ws` package/m)
    assert.doesNotMatch(output, /Cannot find module 'ws'/)
  })

  it('with ws installed, signs in, writes and sees its write live', async () => {
    await sh(folder, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'ws@^8'])
    assert.match(await runScript('node-with-ws'), /^seen 1$/m)
  })
})
