// An operator's own CDK app hands RtkitStack its config module: the stack
// builds for it at synth, so the functions get their Lambdas and the server
// image (deepstream, the bridge) carries the same collections.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadOperatorConfig } from '../server/collections/load-config.ts'
import { cleanUp, synthesise, type Synthesised } from './testing/synth.ts'

const dir = mkdtempSync(join(tmpdir(), 'rtkit-operator-stack-'))

describe('RtkitStack with an operator config', () => {
  let synth: Synthesised

  before(async () => {
    const config = join(dir, 'rtkit.config.mjs')
    writeFileSync(
      config,
      `import { defineConfig, defineCollection, defineFunction, tasks, text } from 'rtkit-server/config'\n` +
        `const notes = defineCollection({ name: 'notes', partitionKey: 'page', fields: { body: text({ max: 100 }) }, rules: { read: () => true } })\n` +
        `export default defineConfig({ collections: [tasks, notes], functions: [defineFunction({ name: 'close-poll', input: text({ max: 10 }), handler: () => 1 })] })\n`,
    )
    synth = await synthesise({}, { config })
  })
  after(() => {
    rmSync(dir, { recursive: true, force: true })
    cleanUp()
  })

  it("routes the config's functions to Lambdas of their own", () => {
    const keys = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey as string)
    assert.ok(keys.includes('POST /functions/close-poll'), keys.join(', '))
  })

  it("stages the server image with the config beside the server, where the containers' server reads it", async () => {
    const contexts = readdirSync(synth.outdir)
      .map((name) => join(synth.outdir, name))
      .filter((path) => existsSync(join(path, 'deploy', 'container', 'Dockerfile')))
    assert.equal(contexts.length, 1, 'one image build context staged')
    const server = join(contexts[0]!, 'dist', 'server')
    assert.ok(existsSync(join(server, 'server.mjs')))
    const loaded = await loadOperatorConfig(undefined, server)
    assert.deepEqual(
      loaded.collections.map((collection) => collection.name),
      ['tasks', 'notes'],
    )
  })

  it('refuses to synthesise a bad config, naming it', async () => {
    const bad = join(dir, 'bad.config.mjs')
    writeFileSync(bad, `export default { collections: [] }\n`)
    await assert.rejects(synthesise({}, { config: bad }), /bad\.config\.mjs/)
  })
})
