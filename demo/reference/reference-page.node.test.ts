// The reference page of `npm start` (/docs/) documents every tag of the
// manifest, and all of a tag's API: an embedder never needs the source.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { tagEntries } from '../../scripts/tags.ts'
import { currentManifest } from './manifest.ts'
import { renderReference, tagsOf, type Manifest } from './reference-page.ts'

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The HTML of one tag's section. */
function sectionOf(page: string, tag: string): string {
  const start = page.indexOf(`<section class="tag" id="${tag}"`)
  assert.ok(start >= 0, `a section for <${tag}>`)
  return page.slice(start, page.indexOf('</section>', start))
}

describe('the reference page', () => {
  let manifest: Manifest
  let page: string

  before(async () => {
    manifest = await currentManifest(projectRoot)
    page = renderReference(manifest, '/reference.ts')
  })

  it('lists every tag of the manifest, and the manifest has every tag of the components folder', () => {
    const tags = tagsOf(manifest).map(({ tagName }) => tagName)
    assert.deepEqual(
      tags,
      tagEntries(projectRoot).map(({ tag }) => tag),
    )
    for (const tag of tags) {
      sectionOf(page, tag)
      assert.ok(page.includes(`href="#${tag}"`), `<${tag}> in the navigation`)
    }
  })

  it('shows every attribute, property, event, part and CSS property of <rt-task-board>, and a live example', () => {
    const board = tagsOf(manifest).find(({ tagName }) => tagName === 'rt-task-board')!.declaration
    const section = sectionOf(page, 'rt-task-board')
    const named = [...(board.attributes ?? []), ...(board.events ?? []), ...(board.cssParts ?? []), ...(board.cssProperties ?? [])].map(
      ({ name }) => name,
    )
    assert.ok(named.includes('board') && named.includes('rt-task-add') && named.includes('--rt-board-column-min-width'))
    for (const name of named) assert.ok(section.includes(`<code>${name}</code>`), `${name} on the page`)
    assert.ok(section.includes('<code>virtualizeThreshold</code>'), 'the property behind virtualize-threshold')
    assert.match(section, /<div class="live"><rt-provider api-url="\/api" realtime-url="\/deepstream"><rt-task-board board="launch">/)
  })

  it('shows the slots of <rt-provider>, and escapes what it prints', () => {
    const section = sectionOf(page, 'rt-provider')
    assert.match(section, /<h3 id="rt-provider-slots">Slots<\/h3>/)
    const hostile = renderReference(
      {
        modules: [
          {
            path: 'x.ts',
            declarations: [{ kind: 'class', name: 'X', tagName: 'rt-x', customElement: true, summary: '<img src=x onerror=alert(1)>' }],
          },
        ],
      },
      '/reference.ts',
    )
    assert.ok(!hostile.includes('<img'), 'manifest text is escaped')
  })
})
