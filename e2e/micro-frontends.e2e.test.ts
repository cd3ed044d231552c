/**
 * End to end, the page issue 23 describes: two teams' apps on one page,
 * each with its own separately built copy of rtkit from `npm run build`.
 * Team A loads the classic script (`dist/rtkit.iife.js`) and wraps its
 * `<rt-login>` in an `<rt-provider>`; team B imports the ES module build
 * (`dist/rtkit.bundle.js`) and calls its `configure()` for a `<rt-login>`
 * outside any provider. Same URLs: the page holds one session and one
 * WebSocket, signing in through A shows the user in B, and signing out in
 * B signs A out. Then team C brings another version (the ES module build
 * with its version string changed, as if repacked): one warning naming both
 * versions, `<rt-*>` stay team A's, `defineTags({ prefix: 'acme' })` gives
 * team C tags of its own, and the session and socket are still shared.
 * Needs `npm run build` first.
 *
 * Run: node --import tsx --test e2e/micro-frontends.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startStack, type Stack } from '../server/stack.ts'
import { testEnv } from '../server/testing/test-env.ts'
import { chromiumArgs, chromiumPath } from './chromium.mjs'
import { serveFolder, type StaticServer } from './static-server.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

const WAIT_MS = 15_000
const root = new URL('..', import.meta.url).pathname
const folder = mkdtempSync(join(tmpdir(), 'rtkit-mfe-'))

let stack: Stack
let site: StaticServer
let browser: Browser

/** Another version of the ES module build, as if repacked with another version number: the one place the build wrote the version. */
const OTHER_VERSION = '0.0.0-other'
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

/** The host page: team A's classic script and provider, team B's module and configure(). */
function hostPage(apiUrl: string, realtimeUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Two teams</title><script src="/rtkit.iife.js"></script></head>
  <body>
    <section id="team-a">
      <rt-provider api-url="${apiUrl}" realtime-url="${realtimeUrl}"><rt-login></rt-login></rt-provider>
    </section>
    <section id="team-b"><rt-login></rt-login></section>
    <script type="module">
      import { configure } from '/rtkit.bundle.js'
      configure({ apiUrl: '${apiUrl}', realtimeUrl: '${realtimeUrl}' })
      window.teamBReady = true
    </script>
  </body>
</html>`
}

/**
 * Team A as before; team C runs another version of rtkit, so it registers
 * its own tags under the prefix `acme` (the `<rt-*>` names are team A's).
 */
function twoVersionsPage(apiUrl: string, realtimeUrl: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Two versions</title><script src="/rtkit.iife.js"></script></head>
  <body>
    <section id="team-a">
      <rt-provider api-url="${apiUrl}" realtime-url="${realtimeUrl}"><rt-login></rt-login></rt-provider>
    </section>
    <section id="team-c">
      <acme-provider api-url="${apiUrl}" realtime-url="${realtimeUrl}"><acme-login></acme-login></acme-provider>
    </section>
    <script type="module">
      import { defineTags, RtTaskBoard, version } from '/rtkit.other.bundle.js'
      defineTags({ prefix: 'acme' })
      window.teamC = {
        version,
        rtIsTeamC: customElements.get('rt-task-board') === RtTaskBoard,
        rtIsTeamA: customElements.get('rt-task-board') === window.rtkit.RtTaskBoard,
        acmeIsTeamC: customElements.get('acme-task-board').prototype instanceof RtTaskBoard,
      }
      window.teamBReady = true
    </script>
  </body>
</html>`
}

before(async () => {
  assert.ok(existsSync(join(root, 'dist/rtkit.iife.js')) && existsSync(join(root, 'dist/rtkit.bundle.js')), 'run `npm run build` first')
  for (const file of ['rtkit.iife.js', 'rtkit.bundle.js']) copyFileSync(join(root, 'dist', file), join(folder, file))
  stack = await startStack(testEnv())
  writeFileSync(join(folder, 'index.html'), hostPage(stack.apiUrl, stack.realtimeUrl))
  writeFileSync(join(folder, 'versions.html'), twoVersionsPage(stack.apiUrl, stack.realtimeUrl))
  const bundle = readFileSync(join(root, 'dist/rtkit.bundle.js'), 'utf8')
  assert.equal(bundle.split(`\`${version}\``).length, 2, 'the build writes its version once')
  writeFileSync(join(folder, 'rtkit.other.bundle.js'), bundle.replace(`\`${version}\``, `\`${OTHER_VERSION}\``))
  site = await serveFolder(folder)
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
})

after(async () => {
  await browser?.close().catch(() => {})
  await site?.close().catch(() => {})
  await stack?.close().catch(() => {})
  rmSync(folder, { recursive: true, force: true })
})

/** Opens the page with every WebSocket it opens counted in `window.__sockets`, and its console warnings and errors collected. */
async function open(path = '/'): Promise<{ page: Page; warnings: string[] }> {
  const context = await browser.newContext()
  context.setDefaultTimeout(WAIT_MS)
  await context.addInitScript(() => {
    const Native = window.WebSocket
    const counted = window as unknown as { __sockets: string[] }
    counted.__sockets = []
    window.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args)
        counted.__sockets.push(String(args[0]))
      }
    }
  })
  const page = await context.newPage()
  const warnings: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text())
  })
  page.on('pageerror', (error) => warnings.push(`page error: ${error.message}`))
  await page.goto(new URL(path, site.url).href)
  await page.waitForFunction(() => (window as unknown as { teamBReady?: boolean }).teamBReady === true)
  return { page, warnings }
}

describe('two separately built copies of rtkit on one page (an IIFE and an ES module)', () => {
  it('share one session and one WebSocket', async () => {
    const { page, warnings } = await open()
    const a = page.locator('#team-a rt-login')
    const b = page.locator('#team-b rt-login')
    await a.locator('input[name="username"]').fill('alice')
    await a.locator('input[name="password"]').fill(DEMO_PASSWORD)
    await b.locator('form').waitFor()
    await a.locator('[part="submit"]').click()

    await a.locator('[part="user"]').waitFor()
    await b.locator('[part="user"]').waitFor() // signed in through team A's copy, shown by team B's
    await page.waitForTimeout(500) // a second socket would be opening by now
    const sockets = await page.evaluate(() => (window as unknown as { __sockets: string[] }).__sockets)
    assert.deepEqual(
      sockets.filter((url) => url.startsWith(stack.realtimeUrl)),
      [stack.realtimeUrl],
      'one WebSocket for both apps',
    )

    await b.locator('[part="logout"]').click()
    await b.locator('form').waitFor()
    await a.locator('form').waitFor() // signed out in B, so in A too
    assert.deepEqual(
      warnings.filter((text) => text.startsWith('rtkit')),
      [],
      'no rtkit warning: same options, same version',
    )
    await page.context().close()
  })

  it('with another version: one warning with both versions, rt-* stay the first copy’s, a prefix gives the other its own tags, still one session', async () => {
    const { page, warnings } = await open('/versions.html')
    const teamC = await page.evaluate(() => (window as unknown as { teamC: Record<string, unknown> }).teamC)
    assert.deepEqual(teamC, { version: OTHER_VERSION, rtIsTeamC: false, rtIsTeamA: true, acmeIsTeamC: true })
    const rtkitWarnings = warnings.filter((text) => text.startsWith('rtkit'))
    assert.equal(rtkitWarnings.length, 1, rtkitWarnings.join('\n'))
    assert.match(rtkitWarnings[0]!, new RegExp(`rtkit ${OTHER_VERSION} .*rtkit ${version.replaceAll('.', '\\.')} `))

    const a = page.locator('#team-a rt-login')
    const c = page.locator('#team-c acme-login')
    await c.locator('input[name="username"]').fill('alice')
    await c.locator('input[name="password"]').fill(DEMO_PASSWORD)
    await c.locator('[part="submit"]').click()
    await a.locator('[part="user"]').waitFor() // signed in through the other version's tags
    await page.waitForTimeout(500)
    const sockets = await page.evaluate(() => (window as unknown as { __sockets: string[] }).__sockets)
    assert.equal(sockets.filter((url) => url.startsWith(stack.realtimeUrl)).length, 1, 'one WebSocket across versions')
    await a.locator('[part="logout"]').click()
    await c.locator('form').waitFor()
    await page.context().close()
  })
})
