// An operator's own collection, end to end through the real stack: the config
// module is found and imported, its collection is migrated, served over HTTP
// under its rules, pushed live by the bridge, listed by GET /collections;
// a built-in left out answers 404; a bad config stops start-up in one line.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { connectClient, type TestClient } from '../testing/realtime-clients.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { loadOperatorConfig } from './load-config.ts'

const folder = mkdtempSync(join(tmpdir(), 'rtkit-operator-config-'))
const zod = pathToFileURL(fileURLToPath(new URL('../../node_modules/zod/mini/index.js', import.meta.url))).href

/**
 * The poll example's collection, as an operator would write it: `rtkit-server/config`, which a server run
 * from this clone's sources answers with its own entry (no package of that name is installed here), and
 * zod from the operator's own install.
 */
const CONFIG = `
import { defineConfig, defineCollection, tasks } from 'rtkit-server/config'
import * as z from '${zod}'

const votes = defineCollection({
  name: 'votes',
  partitionKey: 'poll',
  fields: { choice: z.enum(['red', 'green', 'blue']), note: z.optional(z.string().check(z.maxLength(50))) },
  derive: (user) => ({ voter: user.id }),
  order: ['choice'],
  indexes: ['voter'],
  rules: {
    read: () => true,
    create: (user, doc) => doc.poll !== 'closed',
    update: (user, existing) => existing.voter === user.id,
  },
})

export default defineConfig({ collections: [tasks, votes] })
`

describe("an operator's config module", () => {
  let stack: TestStack
  let alice: { token: string; id: string }
  let bob: { token: string; id: string }
  const clients: TestClient[] = []

  before(async () => {
    const file = join(folder, 'rtkit.config.mjs')
    writeFileSync(file, CONFIG)
    stack = await startTestStack({ RTKIT_CONFIG: file })
    const a = await stack.login('alice')
    const b = await stack.login('bob')
    alice = { token: a.token, id: a.user.id }
    bob = { token: b.token, id: b.user.id }
  })
  after(async () => {
    for (const client of clients) client.close()
    await stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('lists the declared collections to signed-in users only', async () => {
    assert.equal((await stack.api('GET', '/collections')).status, 401)
    const listed = await stack.api('GET', '/collections', { token: alice.token })
    assert.equal(listed.status, 200)
    assert.deepEqual(listed.body.collections, [
      {
        name: 'tasks',
        partitionKey: 'board',
        order: ['status', 'order'],
        fields: ['board', 'title', 'status', 'order', 'assignee'],
        derived: [],
        textFields: ['title'],
      },
      { name: 'votes', partitionKey: 'poll', order: ['choice'], fields: ['poll', 'choice', 'note'], derived: ['voter'], textFields: [] },
    ])
  })

  it('answers 404 for a built-in the config leaves out', async () => {
    const response = await stack.api('GET', '/collections/messages?room=lobby', { token: alice.token })
    assert.equal(response.status, 404)
    assert.equal(
      (await stack.api('POST', '/collections/messages', { token: alice.token, body: { id: randomUUID(), room: 'lobby', text: 'hi' } }))
        .status,
      404,
    )
  })

  it('creates, validates, derives, pushes live and applies the rules', async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const watcher = await connectClient(stack.realtimeUrl, bob.token)
    clients.push(watcher)
    const events = watcher.record(`votes/${poll}`)
    await new Promise((resolve) => setTimeout(resolve, 300)) // let the subscription reach the server, as realtime.test.ts does

    const id = randomUUID()
    const created = await stack.api('POST', '/collections/votes', { token: alice.token, body: { id, poll, choice: 'red' } })
    assert.equal(created.status, 201)
    assert.equal(created.body.voter, alice.id)
    const pushed = await events.next((event) => event.doc?.id === id)
    assert.equal(pushed.doc.choice, 'red')

    const before = await stack.snapshot()
    const refusals = [
      await stack.api('POST', '/collections/votes', { token: alice.token, body: { id: randomUUID(), poll, choice: 'purple' } }),
      await stack.api('POST', '/collections/votes', { token: alice.token, body: { id: randomUUID(), poll, choice: 'red', voter: bob.id } }),
      await stack.api('POST', '/collections/votes', { token: alice.token, body: { id: randomUUID(), poll: 'closed', choice: 'red' } }),
      await stack.api('PATCH', `/collections/votes/${id}`, { token: bob.token, body: { expectedVersion: 1, choice: 'blue' } }),
      await stack.api('DELETE', `/collections/votes/${id}`, { token: alice.token }),
    ]
    assert.deepEqual(
      refusals.map((response) => response.status),
      [422, 422, 403, 403, 403],
    )
    assert.equal(await stack.snapshot(), before, 'no refused request wrote anything')

    const changed = await stack.api('PATCH', `/collections/votes/${id}`, {
      token: alice.token,
      body: { expectedVersion: 1, choice: 'blue' },
    })
    assert.equal(changed.status, 200)
    assert.equal((await events.next((event) => event.doc?.id === id && event.version === 2)).doc.choice, 'blue')
    const listed = await stack.api('GET', `/collections/votes?poll=${poll}`, { token: bob.token })
    assert.deepEqual(
      listed.body.items.map((item: { id: string; choice: string }) => [item.id, item.choice]),
      [[id, 'blue']],
    )
  })
})

describe('a bad config module', () => {
  it('stops rtkit-server with one line naming the file, the collection and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtkit-bad-config-'))
    try {
      writeFileSync(
        join(dir, 'rtkit.config.mjs'),
        `import { defineConfig, defineCollection } from 'rtkit-server/config'\n` +
          `export default defineConfig({ collections: [defineCollection({ name: 'notes', partitionKey: 'page', fields: { body: 'text' }, rules: {} })] })\n`,
      )
      const start = fileURLToPath(new URL('../start.ts', import.meta.url))
      const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), start], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, RTKIT_ENV: 'test', RTKIT_DATA_DIR: 'memory', RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0' },
      })
      assert.equal(run.status, 1, run.stdout + run.stderr)
      assert.equal(
        run.stderr.trim(),
        'rtkit: rtkit.config.mjs: collection "notes": field "body" is not a Standard Schema validator (zod 3.24+, valibot, arktype…)',
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says where a module that does not parse goes wrong (an import names line 1, column 1 under tsx)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtkit-syntax-config-'))
    try {
      writeFileSync(
        join(dir, 'rtkit.config.mjs'),
        `import { defineConfig } from 'rtkit-server/config'\nexport default defineConfig({\n  collections: [,,\n`,
      )
      await assert.rejects(
        loadOperatorConfig(undefined, dir),
        /^OperatorConfigError: rtkit\.config\.mjs: could not be loaded: SyntaxError: Unexpected end of input \(at rtkit\.config\.mjs:4\)$/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('names a missing file given by RTKIT_CONFIG', async () => {
    await assert.rejects(loadOperatorConfig('missing.config.mjs'), /^OperatorConfigError: missing\.config\.mjs: no such config file$/)
  })
})
