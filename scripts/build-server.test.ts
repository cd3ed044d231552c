// The server image carries the operator's config: the build bundles it, with
// the API it imports, into one file the containers' server finds in the folder
// it starts in, so deepstream's permissions, the bridge and the migrations on
// AWS read the same collections as the Lambda handlers.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { loadOperatorConfig } from '../server/collections/load-config.ts'
import { buildImageConfig, IMAGE_CONFIG_FILE } from './build-server.ts'

const root = new URL('..', import.meta.url).pathname
// Outside the repository: no node_modules above it, so the bundled config can only work if it carries what it imports.
const folder = mkdtempSync(join(tmpdir(), 'rtkit-image-config-'))

describe('the server image and the operator config', () => {
  after(() => rmSync(folder, { recursive: true, force: true }))

  it('bundles the config into one self-contained file that the server loads from its working folder', async () => {
    const config = join(folder, 'rtkit.config.mjs')
    writeFileSync(
      config,
      `import { defineConfig, defineCollection, tasks, text } from 'rtkit-server/config'\n` +
        `export default defineConfig({ collections: [tasks, defineCollection({ name: 'notes', partitionKey: 'page', fields: { body: text({ max: 100 }) }, rules: { read: () => true } })] })\n`,
    )
    const image = join(folder, 'image')
    mkdirSync(image)
    await buildImageConfig(root, image, config)

    const loaded = await loadOperatorConfig(undefined, image)
    assert.equal(loaded.file, IMAGE_CONFIG_FILE)
    assert.deepEqual(
      loaded.collections.map((collection) => collection.name),
      ['tasks', 'notes'],
    )
  })

  it('leaves no config in the image when the build had none, so a stale one never ships', async () => {
    const image = join(folder, 'stale')
    mkdirSync(image)
    writeFileSync(join(image, IMAGE_CONFIG_FILE), 'export default {}\n')
    await buildImageConfig(root, image, undefined)
    assert.equal(existsSync(join(image, IMAGE_CONFIG_FILE)), false)
  })
})
