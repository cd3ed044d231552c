/**
 * End to end through the README's command: `npm start` (the real entry point,
 * spawned as a user would run it), then the embedding examples in Chromium —
 * the plain HTML page that loads only the built single-file bundle, and the
 * React 19 page. Needs `npm run build` first (`npm test` runs it).
 *
 * Run: node --import tsx --test e2e/embedding.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumArgs, chromiumPath } from './chromium.mjs'
import { killGroup } from '../server/testing/process-group.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

const WAIT_MS = 20_000
const root = new URL('..', import.meta.url).pathname

const dataDir = mkdtempSync(join(tmpdir(), 'rtkit-embedding-'))
let server: ChildProcess
let urls: Record<string, string>
let browser: Browser

/** Starts `npm start` on free ports and resolves with the URLs of its ready line. */
function npmStart(): Promise<Record<string, string>> {
  server = spawn('npm', ['start'], {
    cwd: root,
    detached: true, // its own process group, so Ctrl-C (SIGINT) reaches every process
    env: {
      ...process.env,
      RTKIT_API_PORT: '0',
      RTKIT_REALTIME_PORT: '0',
      RTKIT_DEMO_PORT: '0',
      RTKIT_RETHINKDB_URL: '',
      // Data in a folder of its own, not the developer's .rtkit/data.
      RTKIT_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('npm start printed no ready line within 60 s')), 60_000)
    let output = ''
    server.stdout!.on('data', (chunk) => {
      output += chunk
      const line = /^rtkit ready (.*)$/m.exec(output)?.[1]
      if (!line) return
      clearTimeout(timer)
      resolve(Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string])))
    })
    server.stderr!.on('data', (chunk) => process.stderr.write(chunk))
    server.on('exit', (code) => reject(new Error(`npm start exited early with ${code}: ${output}`)))
  })
}

before(async () => {
  assert.ok(existsSync(`${root}dist/rtkit.bundle.js`), 'run `npm run build` first')
  urls = await npmStart()
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
})

after(async () => {
  await browser?.close()
  // Normally the last test has stopped it already; this is the safety net.
  if (server?.pid) killGroup(server.pid)
  rmSync(dataDir, { recursive: true, force: true })
})

/** Whether something still accepts HTTP connections at `url`. */
async function listening(url: string): Promise<boolean> {
  try {
    await fetch(url.replace(/^ws/, 'http'), { signal: AbortSignal.timeout(2_000) })
    return true
  } catch {
    return false
  }
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.locator('rt-login input[name="username"]').fill(username)
  await page.locator('rt-login input[name="password"]').fill(DEMO_PASSWORD)
  await page.locator('rt-login [part="submit"]').click()
  await page.locator('rt-login [part="user"]').waitFor()
}

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext()
  context.setDefaultTimeout(WAIT_MS)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(new URL(path, urls.demo).href)
  return { page, errors }
}

describe('npm start', () => {
  it('prints api, realtime and demo URLs on loopback', () => {
    for (const key of ['api', 'realtime', 'demo']) assert.match(urls[key] ?? '', /^(http|ws):\/\/127\.0\.0\.1:\d+/, key)
  })
})

describe('embedding', () => {
  it('works on a plain HTML page from the single-file bundle alone', async () => {
    const { page, errors } = await open('/embed/plain.html')
    const scripts = await page.locator('script[src]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('src')))
    assert.deepEqual(scripts, ['/dist/rtkit.bundle.js'])
    await signIn(page, 'alice')
    await page.locator('rt-task-board [part="card-title"]', { hasText: 'Write the launch post' }).waitFor()
    await page.locator('rt-chat [part="text"]', { hasText: 'Welcome to the lobby' }).waitFor()
    await page.locator('rt-connection-status [part="label"]', { hasText: 'Online' }).waitFor()
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  it('works inside a React 19 app, with props as properties and rt-* events as handlers', async () => {
    const { page, errors } = await open('/embed/react/')
    await page.locator('h1', { hasText: 'rtkit in React 19' }).waitFor()
    await signIn(page, 'bob')
    await page.locator('rt-task-board [part="card-title"]', { hasText: 'Write the launch post' }).waitFor()
    // React sets `board` as a property; switching the select re-targets the live board.
    await page.locator('select').selectOption('backlog')
    await page.locator('rt-task-board [part="card-title"]', { hasText: 'Write the launch post' }).waitFor({ state: 'detached' })
    assert.equal(await page.locator('rt-task-board').evaluate((board) => (board as HTMLElement & { board: string }).board), 'backlog')
    assert.deepEqual(errors, [])
    await page.context().close()
  })
})

describe('Ctrl-C', () => {
  it('stops every part of npm start', async () => {
    process.kill(-server.pid!, 'SIGINT') // the terminal sends SIGINT to the whole process group
    const deadline = Date.now() + 15_000
    const parts = () => Promise.all([urls.api!, urls.realtime!, urls.demo!].map(listening))
    let up = await parts()
    while (up.some(Boolean) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      up = await parts()
    }
    assert.deepEqual(up, [false, false, false], 'api, realtime and demo all stopped')
  })
})
