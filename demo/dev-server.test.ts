// The demo server serves the demo page and nothing else of the project: not the
// data folder's secrets, not the server's source, not package.json. Before, Vite's
// `/@fs/<absolute path>` answered any file under the project root, so the JWT
// secret of `.rtkit/data` was one GET away and forged a `role: service` token.
import assert from 'node:assert/strict'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEMO_HEADERS, startDemoServer, type DemoServer } from './dev-server.ts'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
// A data folder where `npm start` keeps it by default (`.rtkit/data` in the working folder),
// and one named by RTKIT_DATA_DIR elsewhere in the project.
const defaultDataDir = join(projectRoot, '.rtkit', `demo-test-${process.pid}`)
const namedDataDir = join(projectRoot, 'components', `.demo-test-data-${process.pid}`)

describe('the demo server', () => {
  let demo: DemoServer
  const get = (path: string) => fetch(new URL(path, demo.url), { redirect: 'manual' })

  before(async () => {
    for (const dir of [defaultDataDir, namedDataDir]) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'jwt-secret'), 'not-to-be-served')
    }
    // Nothing listens there: the page itself never reaches the API in this test.
    demo = await startDemoServer({
      apiUrl: 'http://127.0.0.1:9',
      realtimeUrl: 'ws://127.0.0.1:9/deepstream',
      port: 0,
      dataDir: namedDataDir,
    })
  })

  after(async () => {
    await demo?.close()
    rmSync(defaultDataDir, { recursive: true, force: true })
    rmSync(namedDataDir, { recursive: true, force: true })
  })

  it('serves the page and the client code it imports', async () => {
    const page = await get('/')
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<rt-provider/)
    const main = await get('/main.ts')
    assert.equal(main.status, 200)
    const tags = await get(`/@fs${join(projectRoot, 'components/index.ts')}`)
    assert.equal(tags.status, 200)
  })

  it('serves the tags’ reference at /docs/, next to the demo, with the module its live examples need', async () => {
    assert.equal((await get('/docs')).headers.get('location'), '/docs/')
    const page = await get('/docs/')
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type') ?? '', /text\/html/)
    const html = await page.text()
    for (const tag of ['rt-chat', 'rt-connection-status', 'rt-login', 'rt-presence', 'rt-provider', 'rt-task-board'])
      assert.ok(html.includes(`<section class="tag" id="${tag}"`), tag)
    assert.equal((await get('/reference.ts')).status, 200)
    assert.equal((await get('/reference/reference.css')).status, 200)
  })

  for (const [what, file] of [
    ['the default data folder', () => join(defaultDataDir, 'jwt-secret')],
    ['a data folder named by RTKIT_DATA_DIR', () => join(namedDataDir, 'jwt-secret')],
    ["the server's source", () => join(projectRoot, 'server/lib/tokens.ts')],
    ['package.json', () => join(projectRoot, 'package.json')],
    ['the lock file', () => join(projectRoot, 'package-lock.json')],
  ] as const) {
    it(`refuses ${what}`, async () => {
      // Through Vite's /@fs/, and by its path from the project's root (outside the page's root: the page's HTML at most).
      const fromRoot = `/${relative(projectRoot, file())}`
      for (const path of [
        `/@fs${file()}`,
        `/@fs${file()}?raw`,
        `/@fs${file()}?import`,
        fromRoot,
        `${fromRoot}?raw`,
        `${fromRoot}?import`,
      ]) {
        const response = await get(path)
        const body = await response.text()
        if (path.startsWith('/@fs')) assert.ok(response.status === 403 || response.status === 404, `${path}: ${response.status}`)
        assert.doesNotMatch(body, /not-to-be-served|createVerifier|"devDependencies"|"lockfileVersion"/)
      }
    })
  }

  it('sends nosniff, a frame policy and a referrer policy', async () => {
    for (const path of ['/', '/main.ts', '/embed/plain.html']) {
      const response = await get(path)
      await response.arrayBuffer()
      for (const [name, value] of Object.entries(DEMO_HEADERS)) {
        if (name === 'content-security-policy' && path.startsWith('/embed/')) continue
        assert.equal(response.headers.get(name), value, `${path}: ${name}`)
      }
    }
  })
})
