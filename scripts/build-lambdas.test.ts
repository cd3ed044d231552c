// The operator's config module goes into every Lambda bundle: a handler built
// with a config serves that config's collections (and one built without serves
// the built-ins), checked the same way as at a server's start.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { startTestStack, type TestStack } from '../server/testing/test-stack.ts'
import { buildLambdas } from './build-lambdas.ts'

const root = new URL('..', import.meta.url).pathname
const folder = mkdtempSync(join(tmpdir(), 'rtkit-lambda-config-'))

// Runs in a fresh Node process, as Lambda would: import the bundle, invoke it once, print the answer.
const INVOKE = `
const { handler } = await import(process.env.BUNDLE)
const event = { version: '2.0', rawQueryString: '', headers: { authorization: 'Bearer ' + process.env.TOKEN }, requestContext: { requestId: 't', http: { method: 'GET', path: '/collections' } }, isBase64Encoded: false }
const result = await handler(event, { awsRequestId: 't', getRemainingTimeInMillis: () => 10000 })
console.log(JSON.stringify({ status: result.statusCode, body: JSON.parse(result.body) }))
process.exit(0)
`

// The same for a function's own Lambda: a POST on its literal route, told by RTKIT_FUNCTION which one it serves.
const INVOKE_FUNCTION = `
const { handler } = await import(process.env.BUNDLE)
const event = { version: '2.0', rawPath: process.env.ROUTE, rawQueryString: '', body: JSON.stringify('launch'), headers: { 'content-type': 'application/json', authorization: 'Bearer ' + process.env.TOKEN }, requestContext: { requestId: 't', http: { method: 'POST', path: process.env.ROUTE } }, isBase64Encoded: false }
const result = await handler(event, { awsRequestId: 't', getRemainingTimeInMillis: () => 10000 })
console.log(JSON.stringify({ status: result.statusCode, body: JSON.parse(result.body) }))
process.exit(0)
`

describe('Lambda bundles and the operator config', () => {
  let stack: TestStack
  let token: string
  before(async () => {
    stack = await startTestStack()
    token = (await stack.login('alice')).token
  })
  after(async () => {
    await stack?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  // Not spawnSync: the database answering the handler runs in this process.
  async function listedBy(outdir: string): Promise<string[]> {
    const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INVOKE], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        BUNDLE: join(outdir, 'collections-schema.mjs'),
        TOKEN: token,
        RTKIT_ENV: 'test',
        RTKIT_RETHINKDB_URL: stack.databaseUrl,
        RTKIT_JWT_SECRET: stack.config.jwt.signingKey,
      },
    })
    const answer = JSON.parse(run.stdout) as { status: number; body: { collections: Array<{ name: string }> } }
    assert.equal(answer.status, 200, run.stdout + run.stderr.slice(0, 3000))
    return answer.body.collections.map((collection) => collection.name)
  }

  it("serves the config's collections when built with one, and the built-ins without", async () => {
    const config = join(folder, 'rtkit.config.mjs')
    // Imported as an operator's config does: 'rtkit-server/config'.
    writeFileSync(
      config,
      `import { defineConfig, defineCollection, messages, text } from 'rtkit-server/config'\n` +
        `export default defineConfig({ collections: [messages, defineCollection({ name: 'notes', partitionKey: 'page', fields: { body: text({ max: 100 }) }, rules: { read: () => true } })] })\n`,
    )
    const withConfig = join(folder, 'with-config')
    await buildLambdas(root, withConfig, config)
    assert.deepEqual(await listedBy(withConfig), ['messages', 'notes'])

    const without = join(folder, 'without')
    await buildLambdas(root, without, undefined)
    assert.deepEqual(await listedBy(without), ['tasks', 'messages'])
  })
  it("runs the config's functions in the functions-call bundle, each Lambda only its own", async () => {
    const config = join(folder, 'functions.config.mjs')
    writeFileSync(
      config,
      `import { defineConfig, defineFunction, tasks, text } from 'rtkit-server/config'\n` +
        `export default defineConfig({ collections: [tasks], functions: [defineFunction({ name: 'count-tasks', input: text({ max: 40 }), handler: async (board, ctx) => (await ctx.collections.tasks.list(board)).length })] })\n`,
    )
    const outdir = join(folder, 'with-functions')
    await buildLambdas(root, outdir, config)
    const invoke = async (route: string) => {
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INVOKE_FUNCTION], {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          BUNDLE: join(outdir, 'functions-call.mjs'),
          ROUTE: route,
          RTKIT_FUNCTION: 'count-tasks',
          TOKEN: token,
          RTKIT_ENV: 'test',
          RTKIT_RETHINKDB_URL: stack.databaseUrl,
          RTKIT_JWT_SECRET: stack.config.jwt.signingKey,
        },
      })
      return JSON.parse(run.stdout) as { status: number; body: unknown }
    }
    const seeded = await stack.api('GET', '/collections/tasks?board=launch', { token })
    assert.deepEqual(await invoke('/functions/count-tasks'), { status: 200, body: { result: seeded.body.items.length } })
    assert.equal((await invoke('/functions/other')).status, 404)
  })
})

// What a cold start loads: the handler's entry and the chunks it imports
// statically. The rest (the driver, the token verifier with jsonwebtoken,
// the logger) comes with the first request that needs it (docs/architecture.md, Building).
describe("a Lambda handler's init", () => {
  const outdir = mkdtempSync(join(tmpdir(), 'rtkit-lambda-init-'))
  after(() => rmSync(outdir, { recursive: true, force: true }))
  const staticImports = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["']([^"']+)["']/g)].map((match) => match[1]!)

  it('loads its entry and at most two chunks, and none of them imports node:crypto, node:fs or jsonwebtoken', async () => {
    const bundles = await buildLambdas(root, outdir, undefined)
    assert.ok(bundles.length > 0)
    for (const { name, file } of bundles) {
      const chunks = staticImports(file).filter((path) => path.startsWith('./'))
      assert.ok(chunks.length <= 2, `${name} imports ${chunks.join(', ')}`)
      for (const loaded of [file, ...chunks.map((chunk) => join(outdir, chunk))]) {
        const builtins = staticImports(loaded).filter((path) => !path.startsWith('./'))
        assert.deepEqual(
          builtins.filter((path) => /^(node:)?(crypto|fs|stream)$/.test(path)),
          [],
          `${name}: ${loaded}`,
        )
        assert.doesNotMatch(readFileSync(loaded, 'utf8'), /jsonwebtoken|JsonWebTokenError/, `${name}: ${loaded}`)
      }
    }
  })
})
