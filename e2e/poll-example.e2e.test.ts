/**
 * The proof of "your own data" (issue 21), as an npm user builds it: both
 * packed tarballs and zod installed into an empty folder, `examples/poll`
 * (the operator's config, the choices module, `<poll-widget>` and its page)
 * copied there, the page bundled with esbuild from the installed packages
 * only, `npx rtkit-server` started, and two Chromium users voting. Votes sync
 * live; a vote on a closed poll is refused, rolled back and explained; the
 * widget says when it is offline; a restart keeps the votes; a bad config
 * stops start-up with one line. And the proof of "your own functions" (issue
 * 22): the poll's creator closes it through the injected `PollService` and
 * the `close-poll` function, both browsers show the same results live, the
 * stored results match the votes, counted votes are locked, and anyone else's
 * close is refused with 403 and writes nothing.
 *
 * Run: node --import tsx --test e2e/poll-example.e2e.test.ts (after `npm run pack`)
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { build } from 'esbuild'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumArgs, chromiumPath } from './chromium.mjs'
import { sh, startInstalledServer, tarballs, type RunningServer } from './installed-server.ts'
import { serveFolder, type StaticServer } from './static-server.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

const WAIT_MS = 15_000
const example = new URL('../examples/poll/', import.meta.url).pathname

let folder: string
let server: RunningServer | undefined
let site: StaticServer
let browser: Browser

before(async () => {
  assert.ok(existsSync(tarballs.client) && existsSync(tarballs.server), 'run `npm run pack` first')
  folder = mkdtempSync(join(tmpdir(), 'rtkit-poll-'))
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'poll', private: true, type: 'module' }))
  await sh(folder, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarballs.client, tarballs.server, 'zod@^4'])
  for (const file of ['rtkit.config.mjs', 'choices.mjs', 'poll-service.ts', 'poll-widget.ts', 'main.ts', 'index.html']) {
    cpSync(join(example, file), join(folder, file))
  }
  // Resolved from the folder's node_modules only: what the tarballs ship is what the widget gets.
  await build({
    absWorkingDir: folder,
    entryPoints: ['main.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(folder, 'main.js'),
    logLevel: 'error',
  })
  site = await serveFolder(folder)
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
})

after(async () => {
  await browser?.close().catch(() => {})
  await site?.close().catch(() => {})
  await server?.stop().catch(() => {})
  rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
})

/** A user's page against the running server, signed in through `<rt-login>`. */
async function signedIn(username: string): Promise<Page> {
  const context = await browser.newContext()
  context.setDefaultTimeout(WAIT_MS)
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`${username}: ${error.message}`))
  // Every refusal the widgets report, as a host page would listen for it.
  await page.addInitScript(() => {
    const seen: unknown[] = []
    ;(window as unknown as { refusals: unknown[] }).refusals = seen
    document.addEventListener('poll-command-reject', (event) => seen.push((event as CustomEvent).detail))
  })
  const query = new URLSearchParams({ api: server!.urls.api!, realtime: server!.urls.realtime! })
  await page.goto(`${site.url}/index.html?${query}`)
  await page.locator('rt-login input[name="username"]').fill(username)
  await page.locator('rt-login input[name="password"]').fill(DEMO_PASSWORD)
  await page.locator('rt-login [part="submit"]').click()
  await page.locator('rt-login [part="user"]').waitFor()
  // Live before anyone votes: a vote made while the subscription is still on its way would wait for the next refetch.
  await page.locator('rt-connection-status [part="label"]', { hasText: 'Online' }).waitFor()
  return page
}

/** A request to the running server's API as `token`'s user: the status and the JSON body. */
async function api(path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${server!.urls.api}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(WAIT_MS),
  })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

/** A session of `username`, straight from the API. */
async function login(username: string): Promise<{ token: string; id: string }> {
  const { status, body } = await api('/auth/login', undefined, { method: 'POST', body: { username, password: DEMO_PASSWORD } })
  assert.equal(status, 200)
  return { token: body.token, id: body.user.id }
}

const poll = (page: Page, name: string) => page.locator(`poll-widget[poll="${name}"]`)
const choice = (page: Page, name: string, value: string) => poll(page, name).locator(`[part="choice"][data-choice="${value}"]`)
const count = (page: Page, name: string, value: string) => choice(page, name, value).locator('[part="count"]')
/** Waits until every count of `name` reads as in `expected` (choices left out are 0). */
async function counts(page: Page, name: string, expected: Record<string, number>): Promise<void> {
  for (const value of ['red', 'green', 'blue']) {
    await count(page, name, value)
      .filter({ hasText: new RegExp(`^${expected[value] ?? 0}$`) })
      .waitFor()
  }
}

describe('the poll example, from the packed tarballs', () => {
  it('syncs votes live, refuses a vote on a closed poll with its message, lets only the creator close a poll with results live in both browsers, says when offline, and keeps the votes across a restart', async () => {
    server = await startInstalledServer(folder, 'npx', ['rtkit-server'])
    const [alice, bob] = [await signedIn('alice'), await signedIn('bob')]
    await poll(alice, 'lunch').locator('fieldset[aria-busy="false"]').waitFor()
    await poll(bob, 'lunch').locator('fieldset[aria-busy="false"]').waitFor()

    // Votes sync live, and a vote can be changed by its voter.
    await choice(alice, 'lunch', 'red').click()
    await counts(bob, 'lunch', { red: 1 })
    await choice(bob, 'lunch', 'blue').click()
    await counts(alice, 'lunch', { red: 1, blue: 1 })
    await choice(alice, 'lunch', 'green').click()
    await counts(bob, 'lunch', { green: 1, blue: 1 })
    await choice(alice, 'lunch', 'green').and(alice.locator('[aria-pressed="true"]')).waitFor()

    // A closed poll refuses the vote: rolled back, and said in the poll's words.
    await choice(bob, 'closed-breakfast', 'red').click()
    await poll(bob, 'closed-breakfast')
      .locator('[part="error"]')
      .filter({ hasText: 'This poll is closed: your vote was not counted.' })
      .waitFor()
    await counts(bob, 'closed-breakfast', {})
    const refusals = (await bob.evaluate(() => (window as unknown as { refusals: unknown[] }).refusals)) as Array<Record<string, any>>
    assert.equal(refusals.length, 1)
    assert.deepEqual(
      [refusals[0]!.collection, refusals[0]!.partition, refusals[0]!.error.status],
      ['votes', { poll: 'closed-breakfast' }, 403],
    )
    assert.equal(await poll(bob, 'lunch').locator('[part="error"]').count(), 0, 'the other poll shows none of it')

    // Alice opened lunch first, so she created it: she gets "Close poll", and anyone else's close is refused.
    await poll(alice, 'lunch').locator('[part="close"]').waitFor()
    const [aliceApi, bobApi] = [await login('alice'), await login('bob')]
    const refused = await api('/functions/close-poll', bobApi.token, { method: 'POST', body: { poll: 'lunch' } })
    assert.equal(refused.status, 403)
    assert.equal(refused.body.error.message, "only the poll's creator can close lunch")
    assert.deepEqual((await api('/collections/results?poll=lunch', bobApi.token)).body.items, [], 'a refused close writes no results')
    const before = (await api('/collections/votes?poll=lunch', bobApi.token)).body.items as Array<Record<string, any>>
    assert.deepEqual(
      before.map((vote) => vote.closed),
      [undefined, undefined],
      'nor locks a vote',
    )
    // Through bob's own PollService too: the kit's typed 403, which the widget shows in the server's words.
    const viaService = await bob.evaluate(() => {
      const widget = document.querySelector('poll-widget[poll="lunch"]') as unknown as Record<string, any>
      const kit = widget.kit.value
      return kit
        .service('polls')
        .close('lunch')
        .then(
          () => 'closed',
          (error: Record<string, unknown>) => [error.name, error.status, error.message],
        )
        .finally(() => widget.close(kit))
    })
    assert.deepEqual(viaService, ['ForbiddenError', 403, "only the poll's creator can close lunch"])
    await poll(bob, 'lunch')
      .locator('[part="close-error"]', { hasText: "The poll was not closed: only the poll's creator can close lunch" })
      .waitFor()
    assert.deepEqual((await api('/collections/results?poll=lunch', bobApi.token)).body.items, [], 'a refused close writes no results')
    assert.equal(await poll(bob, 'lunch').locator('[part="close"]').count(), 0, 'only the creator sees "Close poll"')

    // Alice closes it: both browsers show the same results live, and voting is off.
    await poll(alice, 'lunch').locator('[part="close"]').click()
    for (const [page, who] of [
      [alice, 'you'],
      [bob, 'the creator'],
    ] as const) {
      const results = poll(page, 'lunch').locator('[part="results"][data-total="2"]')
      await results.locator('[part="results-title"]', { hasText: `Closed by ${who}: 2 votes` }).waitFor()
      for (const [value, n] of [
        ['red', 0],
        ['green', 1],
        ['blue', 1],
      ] as const) {
        await results.locator(`[part="result"][data-choice="${value}"]`, { hasText: `${value}: ${n}` }).waitFor()
      }
      await poll(page, 'lunch').locator('fieldset[disabled]').waitFor()
    }
    assert.equal(await poll(alice, 'lunch').locator('[part="close"]').count(), 0, 'a closed poll has no "Close poll"')

    // The stored results match the votes, and every counted vote is locked on the server.
    const [stored] = (await api('/collections/results?poll=lunch', bobApi.token)).body.items as Array<Record<string, any>>
    assert.deepEqual([stored!.counts, stored!.total, stored!.closedBy], [{ red: 0, green: 1, blue: 1 }, 2, aliceApi.id])
    const locked = (await api('/collections/votes?poll=lunch', bobApi.token)).body.items as Array<Record<string, any>>
    assert.deepEqual(
      locked.map((vote) => vote.closed),
      [true, true],
    )
    const bobs = locked.find((vote) => vote.voter === bobApi.id)!
    const change = await api(`/collections/votes/${bobs.id}`, bobApi.token, {
      method: 'PATCH',
      body: { expectedVersion: bobs.version, choice: 'red' },
    })
    assert.equal(change.status, 403, 'a counted vote cannot change')
    const again = await api('/functions/close-poll', aliceApi.token, { method: 'POST', body: { poll: 'lunch' } })
    assert.equal(again.status, 409)
    const byName = await api('/functions/close-poll', aliceApi.token, { method: 'POST', body: { poll: 'closed-breakfast' } })
    assert.equal(byName.status, 403, 'rules.call: a poll closed by its name cannot be closed again')
    assert.equal((await api('/collections/results?poll=lunch', bobApi.token)).body.items.length, 1)
    // Clients cannot write results themselves: the collection has no create rule.
    const forged = await api('/collections/results', bobApi.token, {
      method: 'POST',
      body: {
        id: crypto.randomUUID(),
        poll: 'breakfast',
        counts: { red: 9, green: 0, blue: 0 },
        total: 9,
        closedAt: new Date().toISOString(),
      },
    })
    assert.equal(forged.status, 403, JSON.stringify(forged.body))

    // The server goes away: the widget says it is offline.
    await server.stop()
    server = undefined
    await poll(alice, 'lunch').locator('[data-state="offline"]').waitFor({ timeout: 30_000 })

    // Started again (on new ports): the votes are there.
    server = await startInstalledServer(folder, 'npx', ['rtkit-server'])
    const carol = await signedIn('bob')
    await counts(carol, 'lunch', { green: 1, blue: 1 })
    await choice(carol, 'lunch', 'blue').and(carol.locator('[aria-pressed="true"]')).waitFor()
    await poll(carol, 'lunch').locator('[part="results"][data-total="2"]').waitFor()
    await server.stop()
    server = undefined
  })

  it('stops start-up on a bad config with one line naming the file, the collection and the problem', () => {
    const config = readFileSync(join(folder, 'rtkit.config.mjs'), 'utf8')
    writeFileSync(join(folder, 'bad.config.mjs'), config.replace('fields: { choice: z.enum(CHOICES),', "fields: { choice: 'red',"))
    const started = spawnSync(join(folder, 'node_modules', '.bin', 'rtkit-server'), ['--config', 'bad.config.mjs'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0', RTKIT_RETHINKDB_URL: '' },
    })
    assert.equal(started.status, 1)
    const lines = started.stderr.trim().split('\n')
    assert.equal(lines.length, 1, started.stderr)
    assert.match(lines[0]!, /^rtkit: bad\.config\.mjs: collection "votes": .*choice/)
  })
})
