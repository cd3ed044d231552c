/**
 * An operator's own collection with the server package, as npm users get it:
 * the server tarball and zod installed into an empty folder, an
 * `rtkit.config.mjs` importing `rtkit-server/config` and zod, and
 * `npx rtkit-server`. The collection is served under its rules, keeps its
 * data across a restart, and a bad config stops start-up with one line.
 *
 * Run: node --import tsx --test e2e/operator-config.e2e.test.ts (after `npm run pack`)
 */
import assert from 'node:assert/strict'
import { spawnSync, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { groupGone, killGroup } from '../server/testing/process-group.ts'
import { eventually } from '../server/testing/write-load.ts'
import { launch, listening, sh, startInstalledServer, STOP_WITHIN_MS, tarballs, type RunningServer } from './installed-server.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

/** DESIGN.md's example, as an operator writes it. */
const CONFIG = `
import { defineConfig, defineCollection, tasks } from 'rtkit-server/config'
import { z } from 'zod'

export default defineConfig({
  collections: [
    tasks,
    defineCollection({
      name: 'votes',
      partitionKey: 'poll',
      fields: { choice: z.enum(['red', 'green', 'blue']), note: z.string().max(50).optional() },
      derive: (user) => ({ voter: user.id }),
      order: ['choice'],
      indexes: [],
      rules: {
        read: (user, partition) => true,
        create: (user, doc) => doc.poll !== 'closed',
        update: (user, existing, patch) => existing.voter === user.id,
      },
    }),
  ],
})
`

describe('an operator config with the server package', () => {
  let folder: string
  let server: RunningServer | undefined

  before(async () => {
    assert.ok(existsSync(tarballs.server), 'run `npm run pack` first')
    folder = mkdtempSync(join(tmpdir(), 'rtkit-operator-'))
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'ops', private: true, type: 'module' }))
    await sh(folder, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarballs.server, 'zod@^4'])
    writeFileSync(join(folder, 'rtkit.config.mjs'), CONFIG)
  })
  after(async () => {
    await server?.stop()
    rmSync(folder, { recursive: true, force: true })
  })

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${server!.urls.api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, any> }
  }
  const signIn = async (username: string) =>
    (await call('POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD })).body.token as string

  it('serves the declared collection under its rules, and keeps it across a restart', async () => {
    server = await startInstalledServer(folder, 'npx', ['rtkit-server'])
    const first = server
    await eventually('the lines after the ready line', () => /^data: /m.test(first.output()))
    assert.match(
      first.output(),
      /^demo: added the accounts alice and bob \(password rtkit-demo\) and the board launch to the empty store;/m,
      'an empty folder is seeded, and says so',
    )
    const alice = await signIn('alice')
    const bob = await signIn('bob')
    const listed = await call('GET', '/collections', alice)
    assert.deepEqual(
      listed.body.collections.map((collection: { name: string }) => collection.name),
      ['tasks', 'votes'],
    )
    assert.equal((await call('GET', '/collections/messages?room=lobby', alice)).status, 404)

    const id = randomUUID()
    const created = await call('POST', '/collections/votes', alice, { id, poll: 'p1', choice: 'red' })
    assert.equal(created.status, 201)
    assert.equal(typeof created.body.voter, 'string')
    assert.equal((await call('POST', '/collections/votes', alice, { id: randomUUID(), poll: 'p1', choice: 'purple' })).status, 422)
    assert.equal((await call('POST', '/collections/votes', alice, { id: randomUUID(), poll: 'closed', choice: 'red' })).status, 403)
    assert.equal((await call('PATCH', `/collections/votes/${id}`, bob, { expectedVersion: 1, choice: 'blue' })).status, 403)
    assert.equal((await call('DELETE', `/collections/votes/${id}`, alice)).status, 403)

    await server.stop()
    server = await startInstalledServer(folder, 'npx', ['rtkit-server'])
    const again = await call('GET', '/collections/votes?poll=p1', await signIn('bob'))
    assert.deepEqual(
      again.body.items.map((vote: { id: string; choice: string }) => [vote.id, vote.choice]),
      [[id, 'red']],
    )
    await server.stop()
    server = undefined
  })

  /** SIGTERM to npx alone (not its group), as a process manager sends it to the process it started; true once the whole group has gone. */
  const stopsOnSigtermToNpx = async (child: ChildProcess) => {
    process.kill(child.pid!, 'SIGTERM')
    return groupGone(child.pid!, STOP_WITHIN_MS)
  }

  it('stops when npx alone gets SIGTERM, as a process manager sends it to the process it started', async () => {
    const { child, urls, output } = await startInstalledServer(folder, 'npx', ['rtkit-server'])
    try {
      assert.ok(await stopsOnSigtermToNpx(child), `the server behind npx stopped:\n${output()}`)
      assert.equal(await listening(urls.api!), false, 'its port is free')
    } finally {
      killGroup(child.pid!)
    }
  })

  it('stops when npx alone gets SIGTERM while the server is still starting, once it has started', async () => {
    // A config that takes a while to load, as one reading its secrets from a vault would: npx is stopped meanwhile.
    const loading = join(folder, 'slow-config-loading')
    writeFileSync(
      join(folder, 'slow.config.mjs'),
      `import { writeFileSync } from 'node:fs'
writeFileSync(${JSON.stringify(loading)}, '')
await new Promise((resolve) => setTimeout(resolve, 3_000))
export { default } from './rtkit.config.mjs'
`,
    )
    const { child, output } = launch(folder, 'npx', ['rtkit-server', '--config', 'slow.config.mjs'])
    try {
      await eventually('the server to begin loading its config', () => existsSync(loading), 60_000).catch((error: Error) => {
        throw new Error(`${error.message}:\n${output()}`)
      })
      assert.ok(await stopsOnSigtermToNpx(child), `the server behind npx stopped:\n${output()}`)
      assert.match(output(), /rtkit ready [\s\S]*rtkit stopping \(SIGTERM\)/, 'it finished starting, then stopped cleanly')
    } finally {
      killGroup(child.pid!)
    }
  })

  it('stops start-up on a bad config with one line naming the file, the collection and the problem', () => {
    writeFileSync(join(folder, 'bad.config.mjs'), CONFIG.replace("order: ['choice']", "order: ['colour']"))
    const bin = join(folder, 'node_modules', '.bin', 'rtkit-server')
    const started = spawnSync(bin, ['--config', 'bad.config.mjs'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0', RTKIT_RETHINKDB_URL: '' },
    })
    assert.equal(started.status, 1)
    assert.equal(started.stderr.trim(), 'rtkit: bad.config.mjs: collection "votes": order names an unknown field "colour"')
    const unknown = spawnSync(bin, ['--confg', 'x'], { cwd: folder, encoding: 'utf8', timeout: 30_000 })
    assert.equal(unknown.status, 2)
    assert.match(
      unknown.stderr,
      /^rtkit-server: unknown option --confg \(ports, hosts and the rest are RTKIT_\* variables: see --help\)\n[\s\S]*Usage: rtkit-server/,
    )
  })
})
