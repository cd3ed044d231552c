import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { describe, it } from 'node:test'

/**
 * The convention that makes adding a tag "its folder plus one line": every
 * folder `components/<name>/` holding `<name>.ts` is the tag `<rt-<name>>`;
 * that file registers it and re-exports its class and types. The build
 * derives its entries (`dist/rt-<name>.js`) and package exports from the
 * same folders; `components/index.ts` has one `export *` line per tag.
 */
const here = new URL('.', import.meta.url)
const tags = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/${entry.name}.ts`, here)))
  .map((entry) => entry.name)
  .sort()

describe('components/ (one folder per tag)', () => {
  it('finds the six tags', () => {
    assert.deepEqual(tags, ['chat', 'connection-status', 'login', 'presence', 'provider', 'task-board'])
  })

  it('has each tag file register rt-<folder> and re-export its component whole', () => {
    for (const name of tags) {
      const source = readFileSync(new URL(`${name}/${name}.ts`, here), 'utf8')
      assert.match(source, new RegExp(`customElements\\.define\\('rt-${name}', `), `${name}.ts defines <rt-${name}>`)
      assert.ok(source.includes(`export * from './${name}.component.ts'`), `${name}.ts re-exports its component`)
    }
  })

  it('has every tag in rtkit/define (define.ts), by folder name', () => {
    const source = readFileSync(new URL('define.ts', here), 'utf8')
    const listed = /export const tagClasses = \{([^}]*)\}/.exec(source)?.[1] ?? ''
    const names = [...listed.matchAll(/^\s*'?([a-z-]+)'?: Rt\w+,$/gm)].map(([, name]) => name)
    assert.deepEqual(names, tags)
  })

  it('has exactly one line per tag in index.ts', () => {
    const index = readFileSync(new URL('index.ts', here), 'utf8')
    const lines = index.split('\n').filter((line) => /^export \* from '\.\/[^/]+\/[^/]+\.ts'$/.test(line))
    assert.deepEqual(
      lines,
      tags.map((name) => `export * from './${name}/${name}.ts'`),
    )
  })
})
