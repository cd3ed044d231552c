/**
 * Embedding with the host's own users, end to end: the example host app
 * (`demo/embed/host-app/`, its own cookie sign-in and `/rtkit/token`)
 * starts rtkit's server with `RTKIT_AUTH_*` pointed at itself. In Chromium,
 * host users sign in to the host, and the tags sign them in to rtkit with
 * the host's tokens: one sees another's change live (past a token refresh),
 * and a user whose `access` claim leaves out the board sees "no access".
 * The page runs under a strict CSP; no violation and no page error may occur.
 * Needs `npm run build` first (`npm test` runs it).
 *
 * Run: node --import tsx --test e2e/host-app.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumArgs, chromiumPath } from './chromium.mjs'

const root = new URL('..', import.meta.url).pathname
const WAIT_MS = 20_000
/** Short-lived tokens, so the tags must refresh theirs during the test. */
const TOKEN_TTL_S = 8

let host: ChildProcess
let url: string
let browser: Browser

before(async () => {
  assert.ok(existsSync(`${root}dist/rtkit.bundle.js`), 'run `npm run build` first')
  host = spawn(process.execPath, ['--import', 'tsx', 'demo/embed/host-app/server.ts'], {
    cwd: root,
    env: { ...process.env, HOST_APP_PORT: '0', HOST_TOKEN_TTL: String(TOKEN_TTL_S), RTKIT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the host app printed no ready line within 60 s')), 60_000)
    let output = ''
    host.stdout!.on('data', (chunk) => {
      output += chunk
      const found = /^host-app ready url=(\S+)/m.exec(output)?.[1]
      if (!found) return
      clearTimeout(timer)
      resolve(found)
    })
    host.on('exit', (code) => reject(new Error(`the host app exited with ${code}: ${output}`)))
  })
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
})

after(async () => {
  await browser?.close()
  if (host?.exitCode === null) {
    const exited = new Promise((resolve) => host.once('exit', resolve))
    host.kill('SIGTERM')
    await exited
  }
})

/** Signs in to the host app (its own form and cookie) in a fresh browser context. */
async function signInToHost(username: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext()
  context.setDefaultTimeout(WAIT_MS)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text())
  })
  await page.goto(url)
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill('host-demo')
  await page.locator('button[type="submit"]').click()
  return { page, problems }
}

describe('a host app signing in its own users', () => {
  it('signs host users in to the tags with its tokens, and shows one user’s change to another live, past a token refresh', async () => {
    const carol = await signInToHost('carol')
    await carol.page.locator('rt-login [part="user"]', { hasText: 'Carol Diaz' }).waitFor()
    assert.equal(await carol.page.locator('rt-login form').count(), 0, 'no rtkit sign-in form when the host signs users in')
    await carol.page.locator('rt-task-board [part~="column"]').first().waitFor()

    const dave = await signInToHost('dave')
    await dave.page.locator('rt-login [part="user"]', { hasText: 'Dave Ito' }).waitFor()
    // Past the first tokens' lifetime: both sessions must have refreshed theirs.
    await new Promise((resolve) => setTimeout(resolve, (TOKEN_TTL_S + 2) * 1000))
    const title = `From Dave ${Date.now()}`
    const add = dave.page.locator('rt-task-board [part="add-input"]').first()
    await add.fill(title)
    await add.press('Enter')

    await carol.page.locator('rt-task-board [part="card-title"]', { hasText: title }).waitFor()
    await carol.page.locator('rt-presence', { hasText: 'Dave' }).waitFor()
    assert.equal(await carol.page.locator('rt-connection-status [part="label"]').textContent(), 'Online')
    assert.deepEqual(carol.problems, [])
    assert.deepEqual(dave.problems, [])
  })

  it('shows "no access" on a board the user’s access claim does not grant, without an error', async () => {
    const erin = await signInToHost('erin')
    await erin.page.locator('rt-login [part="user"]', { hasText: 'Erin Novak' }).waitFor()
    await erin.page.locator('rt-task-board [data-state="no-access"]').waitFor()
    await erin.page.locator('rt-chat [data-state="no-access"]').waitFor()
    assert.deepEqual(
      erin.problems.filter((problem) => !/403/.test(problem)),
      [],
    )
  })

  it('signs the tags out when the user signs out of the host', async () => {
    const carol = await signInToHost('carol')
    await carol.page.locator('rt-login [part="user"]').waitFor()
    await carol.page.locator('header button[type="submit"]').click()
    await carol.page.locator('input[name="username"]').waitFor()
  })
})
