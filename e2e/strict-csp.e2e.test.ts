/**
 * End to end, the way issue 15 was found: the built single-file bundle on a
 * light host page with a strict Content Security Policy (demo/embed/strict-csp.html),
 * the operating system in dark mode, two users online — alice at a desktop
 * with the keyboard, bob on a phone (375×667, touch). The console stays
 * clean, focus follows alice, bob moves a task by tapping, alice's page (a
 * host application) reacts to bob's changes through rtkit's events, and axe
 * finds no violation inside the tags. Needs `npm run build` first (`npm test` runs it).
 *
 * Run: node --import tsx --test e2e/strict-csp.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { STRICT_CSP, startDemoServer, type DemoServer } from '../demo/dev-server.ts'
import { startStack, type Stack } from '../server/stack.ts'
import { testEnv } from '../server/testing/test-env.ts'
import { chromiumArgs, chromiumPath } from './chromium.mjs'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

const WAIT_MS = 15_000
const PAGE = '/embed/strict-csp.html'
const TASK = 'Write the launch post' // seeded in the To do column of the board "launch"
const root = new URL('..', import.meta.url).pathname
const require = createRequire(import.meta.url)

let stack: Stack
let demo: DemoServer
let browser: Browser

/** A page of its own browser context, with everything the console or the network complains about. */
async function open(options: BrowserContextOptions): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ colorScheme: 'dark', ...options })
  context.setDefaultTimeout(WAIT_MS)
  // Every policy violation, also those the browser does not log (a refused eval that the code catches).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.effectiveDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`),
    )
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`)
  })
  const response = await page.goto(new URL(PAGE, demo.url).href)
  assert.equal(response?.headers()['content-security-policy'], STRICT_CSP)
  return { page, problems }
}

/** The element focused in the page, looking into shadow roots. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement
    return element?.textContent?.trim() ?? ''
  })

const card = (page: Page, title: string, status?: string) =>
  page.locator(`rt-task-board ${status ? `.column[data-status="${status}"] ` : ''}[part~="card"]`, {
    has: page.locator('[part="card-title"]', { hasText: title }),
  })

before(async () => {
  assert.ok(existsSync(`${root}dist/rtkit.bundle.js`), 'run `npm run build` first')
  stack = await startStack(testEnv())
  demo = await startDemoServer({ apiUrl: stack.apiUrl, realtimeUrl: stack.realtimeUrl, host: '127.0.0.1', port: 0 })
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
})

after(async () => {
  await browser?.close().catch(() => {})
  await demo?.close().catch(() => {})
  await stack?.close().catch(() => {})
})

describe('a light page with a strict CSP, the OS in dark mode, a desktop and a phone', { timeout: 120_000 }, () => {
  it('keeps the console clean, moves focus, lets a phone move a task, and tells the host page what others changed', async () => {
    // Alice signs in with the keyboard only.
    const alice = await open({})
    await alice.page.locator('rt-login input[name="username"]').focus()
    await alice.page.keyboard.type('alice')
    await alice.page.keyboard.press('Tab')
    await alice.page.keyboard.type(DEMO_PASSWORD)
    await alice.page.keyboard.press('Enter')
    await alice.page.locator('rt-login [part="user"]').waitFor()
    assert.match(await focusedText(alice.page), /^Signed in as/, 'focus moved into the signed-in view')
    await card(alice.page, TASK, 'todo').waitFor()

    // Bob signs in on a phone, with taps.
    const bob = await open({ viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true })
    await bob.page.locator('rt-login input[name="username"]').tap()
    await bob.page.locator('rt-login input[name="username"]').fill('bob')
    await bob.page.locator('rt-login input[name="password"]').fill(DEMO_PASSWORD)
    await bob.page.locator('rt-login [part="submit"]').tap()
    await alice.page.locator('rt-presence [part="count"]', { hasText: '2 online' }).waitFor()

    // Bob moves a task to Done with "Move to…", by tapping.
    await card(bob.page, TASK, 'todo').locator('[part~="card-move"]').tap()
    await bob.page.locator('rt-task-board [part="move-option"]', { hasText: 'Done' }).tap()
    await card(bob.page, TASK, 'done').waitFor()
    await card(alice.page, TASK, 'done').waitFor()
    await alice.page.locator('#activity li', { hasText: `“${TASK}” moved to Done` }).waitFor()

    // Bob adds a task from the phone; alice's page names him.
    await bob.page.locator('rt-task-board #add-todo').tap()
    await bob.page.locator('rt-task-board #add-todo').fill('From the phone')
    await bob.page.locator('rt-task-board [part="add-button"][aria-label="Add task to To do"]').tap()
    await alice.page.locator('#activity li', { hasText: 'Bob Okafor added “From the phone”' }).waitFor()

    assert.deepEqual(alice.problems, [], 'alice’s console and network')
    assert.deepEqual(bob.problems, [], 'bob’s console and network')
    await alice.page.context().close()
    await bob.page.context().close()
  })

  it('has no axe violation inside the tags (axe itself needs eval, so this page lets it run)', async () => {
    const context = await browser.newContext({ colorScheme: 'dark', bypassCSP: true })
    context.setDefaultTimeout(WAIT_MS)
    const page = await context.newPage()
    await page.goto(new URL(PAGE, demo.url).href)
    await page.locator('rt-login input[name="username"]').fill('alice')
    await page.locator('rt-login input[name="password"]').fill(DEMO_PASSWORD)
    await page.locator('rt-login [part="submit"]').click()
    await page.locator('rt-task-board [part~="card"]').first().waitFor()
    await page.locator('rt-chat [part~="message"]').first().waitFor()
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe
      const tags = ['rt-login', 'rt-connection-status', 'rt-presence', 'rt-task-board', 'rt-chat']
      const { violations } = await axe.run({ include: tags.map((tag) => [tag]) })
      return violations.map((violation) => `${violation.id} (${violation.nodes.length})`)
    })
    assert.deepEqual(violations, [])
    await context.close()
  })
})
