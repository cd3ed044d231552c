/**
 * The packages as npm users get them: the client tarball installed into
 * throwaway apps (Vite + TypeScript, Vue 3, Svelte 5, React 18 with the
 * `rtkit/react` wrappers, React 19 with native tags and `rtkit/jsx`,
 * Angular 20, a classic script page), each built with its own bundler and driven in
 * Chromium against the real server; and the server tarball installed into an
 * empty folder and started with `npx rtkit-server`. Needs `npm run pack`
 * first (`npm test` runs it).
 *
 * The apps' packages are installed once for all of them, into one folder,
 * except the React 19 app's (React 19 and TypeScript 7, as Vite's react-ts
 * template brings them, cannot share a folder with React 18) and the Angular
 * 20 app's (its CLI and builder pin their own TypeScript and Vite), each
 * installed at the same time into a folder of its own, with the same npm cache.
 *
 * Run: node --import tsx --test e2e/consumers.e2e.test.ts
 */
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startTestStack, type TestStack } from '../server/testing/test-stack.ts'
import { chromiumArgs, chromiumPath } from './chromium.mjs'
import { groupGone, killGroup } from '../server/testing/process-group.ts'
import { listening, sh, startInstalledServer, STOP_WITHIN_MS, tarballs } from './installed-server.ts'
import { serveFolder, type StaticServer } from './static-server.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

const root = new URL('..', import.meta.url).pathname
const { client: clientTarball, server: serverTarball } = tarballs
const WAIT_MS = 20_000

let work: string
let react19: string
let angular: string
let stack: TestStack
let browser: Browser
const servers: StaticServer[] = []

const npmInstall = ['install', '--no-audit', '--no-fund', '--loglevel=error']

/** Copies the app in `source` (with its own package.json) to a temporary folder, with the tarball added to its dependencies. */
function ownApp(source: string): string {
  const folder = mkdtempSync(join(tmpdir(), `rtkit-${source.split('/').pop()}-`))
  cpSync(source, folder, { recursive: true })
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  manifest.dependencies.rtkit = `file:${clientTarball}`
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, null, 2))
  return folder
}

before(async () => {
  assert.ok(existsSync(clientTarball) && existsSync(serverTarball), 'run `npm run pack` first')
  const apps = join(root, 'e2e', 'consumers')
  work = mkdtempSync(join(tmpdir(), 'rtkit-consumers-'))
  // The apps with a package.json of their own install into folders of their own.
  const ownFolder = (path: string) => path.startsWith(join(apps, 'react19')) || path.startsWith(join(apps, 'angular'))
  cpSync(apps, work, { recursive: true, filter: (path) => !ownFolder(path) })
  const dependencies = JSON.parse(readFileSync(join(work, 'dependencies.json'), 'utf8')) as Record<string, string>
  // No overrides, no lockfile: what a user's fresh app gets.
  const manifest = {
    name: 'rtkit-consumers',
    private: true,
    type: 'module',
    dependencies: { ...dependencies, rtkit: `file:${clientTarball}` },
  }
  writeFileSync(join(work, 'package.json'), JSON.stringify(manifest, null, 2))
  // Outside `work`, so nothing resolves from the shared folder's React 18 or TypeScript.
  react19 = ownApp(join(apps, 'react19'))
  angular = ownApp(join(apps, 'angular'))
  // Each kept as it starts, so that `after` closes it even when an install fails.
  await Promise.all([
    startTestStack().then((started) => (stack = started)),
    chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs }).then((launched) => (browser = launched)),
    sh(work, 'npm', npmInstall),
    sh(react19, 'npm', npmInstall),
    sh(angular, 'npm', npmInstall),
  ])
})

after(async () => {
  await browser?.close()
  await Promise.all(servers.map((server) => server.close()))
  await stack?.close()
  if (work) rmSync(work, { recursive: true, force: true })
  for (const folder of [react19, angular]) if (folder) rmSync(folder, { recursive: true, force: true })
})

/** Builds an app of the shared folder (or the app in `folder`) with Vite; fails on any warning that names rtkit's code. */
async function viteBuild(app: string, folder?: string): Promise<string> {
  const output = folder
    ? await sh(folder, 'npx', ['vite', 'build', '--logLevel', 'warn'])
    : await sh(work, 'npx', ['vite', 'build', app, '--config', join(app, 'vite.config.mjs'), '--logLevel', 'warn'])
  const warnings = output.split('\n').filter((line) => /rtkit/i.test(line) && /warn|eval|error/i.test(line))
  assert.deepEqual(warnings, [], `the build of ${app} warns about rtkit's code:\n${output}`)
  return folder ? join(folder, 'dist') : join(work, app, 'dist')
}

/** Gzip bytes of every script a built app ships. */
function scriptGzipBytes(dist: string): number {
  const scripts = readdirSync(join(dist, 'assets')).filter((name) => name.endsWith('.js'))
  return scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(dist, 'assets', name)), { level: 9 }).length, 0)
}

/**
 * In Chromium: sign in as alice, then bob adds a task over HTTP and it must
 * show up live; `then(page, title)` checks more before the page closes.
 */
async function signInAndSeeLiveTask(
  url: string,
  board = 'consumers',
  then?: (page: Page, title: string) => Promise<void>,
): Promise<string[]> {
  const context = await browser.newContext()
  context.setDefaultTimeout(WAIT_MS)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  const query = new URLSearchParams({ api: stack.apiUrl, realtime: stack.realtimeUrl, board })
  await page.goto(`${url}?${query}`)
  await page.locator('rt-login input[name="username"]').fill('alice')
  await page.locator('rt-login input[name="password"]').fill(DEMO_PASSWORD)
  await page.locator('rt-login [part="submit"]').click()
  await page.locator('rt-login [part="user"]').waitFor()
  await page.locator('rt-task-board [part~="column"]').first().waitFor()
  // The board has its first full fetch (what is there then is no change): bob's task is one.
  await page.locator('rt-task-board [part="board"][aria-busy="false"]').waitFor()

  const bob = await stack.login('bob')
  const title = `From bob ${Math.random().toString(36).slice(2)}`
  const body = { id: crypto.randomUUID(), board, title, status: 'todo', order: 1 }
  assert.equal((await stack.api('POST', '/collections/tasks', { token: bob.token, body })).status, 201)
  await page.locator('rt-task-board [part="card-title"]', { hasText: title }).waitFor()
  await then?.(page, title)
  await context.close()
  return errors
}

/**
 * The framework apps' checks: the framework version they run (`#version`),
 * and the tags' events reaching the app's handlers (they write `#log`):
 * alice's sign-in, bob's task, and a task alice adds with the board's form,
 * confirmed as an insert.
 */
function eventsReachTheApp(major: string) {
  return async (page: Page, title: string) => {
    assert.equal((await page.locator('#version').textContent())?.split('.')[0], major)
    const logged = (line: string) => page.locator('#log li', { hasText: line }).first().waitFor()
    await logged('signed in Alice')
    await logged(`remote upsert ${title}`)
    const mine = `From alice ${Math.random().toString(36).slice(2)}`
    await page.locator('rt-task-board [part="add-input"]').first().fill(mine)
    await page.locator('rt-task-board [part="add-button"]').first().click()
    await logged(`added ${mine}`)
    await logged(`local upsert ${mine}`)
    await logged('confirmed insert')
  }
}

async function serve(dist: string): Promise<string> {
  const server = await serveFolder(dist)
  servers.push(server)
  return server.url
}

describe('the client package', () => {
  it('declares only what the browser code imports, React as an optional peer', () => {
    const manifest = JSON.parse(readFileSync(join(work, 'node_modules', 'rtkit', 'package.json'), 'utf8')) as Record<string, unknown>
    assert.deepEqual(Object.keys(manifest.dependencies as object).sort(), [
      '@lit-labs/virtualizer',
      '@lit/context',
      '@lit/react',
      'lit',
      'rxjs',
    ])
    assert.deepEqual(manifest.peerDependencies, { react: '>=18', ws: '>=8' })
    assert.deepEqual(manifest.peerDependenciesMeta, { react: { optional: true }, ws: { optional: true } })
    assert.equal(manifest.overrides, undefined)
  })

  it('builds in a Vite + TypeScript app with typed properties and events, and works live', async () => {
    await sh(work, 'npx', ['tsc', '--noEmit', '-p', join('vite-ts', 'tsconfig.json')])
    const dist = await viteBuild('vite-ts')
    console.log(`vite-ts app (rt-login + rt-task-board + configure): ${(scriptGzipBytes(dist) / 1024).toFixed(1)} KB of scripts, gzip`)
    assert.deepEqual(await signInAndSeeLiveTask(await serve(dist), 'consumers-ts'), [])
  })

  it('fails the type check when a property or an event detail is misused', async () => {
    const misuse = join(work, 'vite-ts', 'src', 'misuse.ts')
    writeFileSync(
      misuse,
      "const board = document.createElement('rt-task-board')\nboard.board = 42\nboard.addEventListener('rt-task-add', (event) => event.detail.nope)\n",
    )
    try {
      await assert.rejects(sh(work, 'npx', ['tsc', '--noEmit', '-p', join('vite-ts', 'tsconfig.json')]), /board|nope/)
    } finally {
      rmSync(misuse)
    }
  })

  it('types every tag in a React 19 app (Vite react-ts, `tsc -b`, rtkit/jsx) and works live with native tags and events', async () => {
    await sh(react19, 'npx', ['tsc', '-b']) // also src/misuse.tsx: each misuse must be an error
    const dist = await viteBuild('react19', react19)
    const errors = await signInAndSeeLiveTask(await serve(dist), 'consumers-react19', eventsReachTheApp('19'))
    assert.deepEqual(errors, [])
  })

  it('types the rtkit/react wrappers in a React 18 app and works live, their events firing', async () => {
    await sh(work, 'npx', ['tsc', '--noEmit', '-p', join('react18', 'tsconfig.json')]) // also src/misuse.tsx
    const dist = await viteBuild('react18')
    const errors = await signInAndSeeLiveTask(await serve(dist), 'consumers-react18', eventsReachTheApp('18'))
    assert.deepEqual(errors, [])
  })

  it('builds in an Angular 20 app (the README recipe, strict templates, zoneless) and works live, its handlers seeing the events', async () => {
    const output = await sh(angular, 'npx', ['ng', 'build'])
    assert.doesNotMatch(output, /warning/i, output)
    const errors = await signInAndSeeLiveTask(await serve(join(angular, 'dist', 'browser')), 'consumers-angular', eventsReachTheApp('20'))
    assert.deepEqual(errors, [])
  })

  it('builds in a Vue 3 app (isCustomElement, property binding, @rt-* listeners) and works live', async () => {
    const dist = await viteBuild('vue')
    assert.deepEqual(await signInAndSeeLiveTask(await serve(dist), 'consumers-vue'), [])
  })

  it('builds in a Svelte 5 app and works live', async () => {
    const dist = await viteBuild('svelte')
    assert.deepEqual(await signInAndSeeLiveTask(await serve(dist), 'consumers-svelte'), [])
  })

  it('defines every tag from a classic <script src> and works live', async () => {
    const page = join(work, 'classic')
    cpSync(join(work, 'node_modules', 'rtkit', 'dist', 'rtkit.iife.js'), join(page, 'rtkit.iife.js'))
    const url = await serve(page)
    const context = await browser.newContext()
    const tab = await context.newPage()
    await tab.goto(`${url}/index.html`)
    const defined = await tab.evaluate(() =>
      ['rt-provider', 'rt-login', 'rt-task-board', 'rt-chat', 'rt-presence', 'rt-connection-status'].filter((tag) =>
        customElements.get(tag),
      ),
    )
    assert.deepEqual(defined, ['rt-provider', 'rt-login', 'rt-task-board', 'rt-chat', 'rt-presence', 'rt-connection-status'])
    await context.close()
    assert.deepEqual(await signInAndSeeLiveTask(`${url}/index.html`, 'consumers'), [])
  })
})

describe('the server package', () => {
  let folder: string
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'rtkit-server-'))
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'ops', private: true }))
    await sh(folder, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', serverTarball])
  })
  after(() => rmSync(folder, { recursive: true, force: true }))

  it('installs with no dependencies', () => {
    assert.deepEqual(
      readdirSync(join(folder, 'node_modules')).filter((name) => !name.startsWith('.')),
      ['rtkit-server'],
    )
  })

  it('runs with `npx rtkit-server` from an empty folder and stops with Ctrl-C', async () => {
    const { child, urls, output } = await startInstalledServer(folder, 'npx', ['rtkit-server'])
    try {
      const login = await fetch(`${urls.api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: DEMO_PASSWORD }),
      })
      assert.equal(login.status, 200)
      process.kill(-child.pid!, 'SIGINT') // what a terminal's Ctrl-C does
      assert.ok(await groupGone(child.pid!, STOP_WITHIN_MS), `every process stopped on Ctrl-C:\n${output()}`)
      assert.equal(await listening(urls.api!), false)
    } finally {
      killGroup(child.pid!)
    }
  })

  it('exits 0 on SIGTERM to its own process, as a process manager sends it', async () => {
    const { child, urls, output } = await startInstalledServer(folder, join(folder, 'node_modules', '.bin', 'rtkit-server'), [])
    try {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      assert.ok(await groupGone(child.pid!, STOP_WITHIN_MS), `it stopped on SIGTERM:\n${output()}`)
      assert.equal(await exited, 0)
      assert.equal(await listening(urls.api!), false)
    } finally {
      killGroup(child.pid!)
    }
  })
})
