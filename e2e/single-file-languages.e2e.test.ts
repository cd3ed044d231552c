/**
 * End to end, the single-file builds' languages: `rtkit.iife.js` and
 * `rtkit.bundle.js` carry English only and load `rtkit.de.js` or
 * `rtkit.ar.js` from beside them the first time a `lang` asks for German or
 * Arabic, on a page with a strict Content Security Policy. A page that never
 * asks fetches neither; a site that serves the bundle without them stays
 * English. Needs `npm run build` first.
 *
 * Run: node --import tsx --test e2e/single-file-languages.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumArgs, chromiumPath } from './chromium.mjs'
import { serveFolder, type StaticServer } from './static-server.ts'

const WAIT_MS = 15_000
const root = new URL('..', import.meta.url).pathname
const folder = mkdtempSync(join(tmpdir(), 'rtkit-languages-'))
const FILES = ['rtkit.iife.js', 'rtkit.bundle.js', 'rtkit.de.js', 'rtkit.ar.js']
/** No inline script, scripts from the site only. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'"

let site: StaticServer
let browser: Browser

/** A page with `<rt-login>` outside any provider (its notice is translated), loading rtkit with `script`. */
function page(lang: string, script: string): string {
  return `<!doctype html>
<html lang="${lang}">
  <head><meta charset="utf-8"><title>Languages</title>${script}</head>
  <body><div id="wrapper"><rt-login></rt-login></div></body>
</html>`
}

before(() => {
  assert.ok(
    FILES.every((file) => existsSync(join(root, 'dist', file))),
    'run `npm run build` first',
  )
  for (const file of FILES) copyFileSync(join(root, 'dist', file), join(folder, file))
  writeFileSync(join(folder, 'iife.html'), page('en', '<script src="/rtkit.iife.js"></script>'))
  writeFileSync(join(folder, 'module.html'), page('ar', '<script type="module" src="/rtkit.bundle.js"></script>'))
  // A site that copied only the classic script into a folder of its own.
  mkdirSync(join(folder, 'alone'))
  copyFileSync(join(root, 'dist', 'rtkit.iife.js'), join(folder, 'alone', 'rtkit.iife.js'))
  writeFileSync(join(folder, 'alone', 'index.html'), page('de', '<script src="/alone/rtkit.iife.js"></script>'))
})

before(async () => {
  site = await serveFolder(folder, { 'content-security-policy': CSP })
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
})

after(async () => {
  await browser?.close().catch(() => {})
  await site?.close().catch(() => {})
  rmSync(folder, { recursive: true, force: true })
})

/** Opens `path`, recording the scripts it fetches (with the answers' statuses), its page errors and its CSP violations. */
async function open(path: string): Promise<{ page: Page; scripts: string[]; answered: string[]; problems: string[] }> {
  const context = await browser.newContext()
  context.setDefaultTimeout(WAIT_MS)
  const page = await context.newPage()
  const scripts: string[] = []
  const answered: string[] = []
  const problems: string[] = []
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname)
  })
  page.on('response', (response) => answered.push(`${new URL(response.url()).pathname} ${response.status()}`))
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) problems.push(message.text())
  })
  await page.goto(new URL(path, site.url).href)
  return { page, scripts, answered, problems }
}

/** Waits until `<rt-login>`'s notice says `text`. */
const shows = (page: Page, text: string) => page.locator('rt-login [part="notice"]').filter({ hasText: text }).waitFor()

/** No page error and no CSP violation on the way; closes the page. */
async function closeClean(page: Page, problems: string[]): Promise<void> {
  assert.deepEqual(problems, [])
  await page.context().close()
}

describe('the single-file builds and the built-in languages', () => {
  it('the classic script stays English and fetches no catalogue until a lang asks; then it loads German from beside it', async () => {
    const { page, scripts, problems } = await open('/iife.html')
    await shows(page, 'is not configured')
    assert.deepEqual(scripts, ['/rtkit.iife.js'])
    await page.locator('#wrapper').evaluate((wrapper) => wrapper.setAttribute('lang', 'de'))
    await shows(page, 'ist nicht eingerichtet')
    assert.deepEqual(scripts, ['/rtkit.iife.js', '/rtkit.de.js'])
    await closeClean(page, problems)
  })

  it('the ES module build loads Arabic from beside it for a page in Arabic', async () => {
    const { page, scripts, problems } = await open('/module.html')
    await shows(page, 'غير مُهيّأ')
    assert.deepEqual(scripts, ['/rtkit.bundle.js', '/rtkit.ar.js'])
    await closeClean(page, problems)
  })

  it('without the catalogue files beside it, the page stays English', async () => {
    const { page, answered, problems } = await open('/alone/')
    // It asks for German once (a 404) and goes on in English.
    const deadline = Date.now() + WAIT_MS
    while (!answered.includes('/alone/rtkit.de.js 404') && Date.now() < deadline) await page.waitForTimeout(50)
    assert.ok(answered.includes('/alone/rtkit.de.js 404'), answered.join(', '))
    await shows(page, 'is not configured')
    await closeClean(page, problems)
  })
})
