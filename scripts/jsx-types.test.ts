/**
 * `rtkit/jsx` as the build generates it, type-checked against the sources:
 * every tag and every `rt-*` event is in React's JSX with its types, misuse
 * fails, and a tag or event missing from the manifest fails the check.
 *
 * Run: node --import tsx --test scripts/jsx-types.test.ts
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { jsxDeclarations, manifestTags, type ManifestTag } from './jsx-types.ts'
import { tagEntries } from './tags.ts'

const run = promisify(execFile)
const root = new URL('..', import.meta.url).pathname
const tagNames = tagEntries(root).map((entry) => entry.tag)

let work: string
let manifest: Parameters<typeof manifestTags>[0]

before(async () => {
  mkdirSync(join(root, 'scratch'), { recursive: true })
  work = mkdtempSync(join(root, 'scratch', 'jsx-types-'))
  const outdir = relative(root, join(work, 'manifest'))
  await run('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', outdir], { cwd: root })
  manifest = JSON.parse(readFileSync(join(work, 'manifest', 'custom-elements.json'), 'utf8')) as typeof manifest
})
after(() => rmSync(work, { recursive: true, force: true }))

/** Names of the per-tag event maps the components export (`RtTaskBoardEventMap`, …). */
function eventMaps(): string[] {
  const found = new Set<string>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name))
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        for (const [, name] of readFileSync(join(dir, entry.name), 'utf8').matchAll(/export interface (Rt\w+)EventMap\b/g)) found.add(name!)
      }
    }
  }
  walk(join(root, 'components'))
  return [...found]
}

/**
 * A TSX file that uses every tag as an app would, misuses some (each must be
 * an error), and checks the declarations cover every tag and event exactly.
 */
function probe(tags: ManifestTag[], components: string): string {
  const maps = eventMaps()
  const perTag = tags.map(({ tag, className }) =>
    maps.includes(className)
      ? `expectTrue<Equal<OnEvents<'${tag}'>, \`on\${keyof ${className}EventMap & string}\`>>()`
      : `expectTrue<Equal<OnEvents<'${tag}'>, never>>()`,
  )
  const imports = tags.filter((t) => maps.includes(t.className)).map((t) => `${t.className}EventMap`)
  return `import type { RtJsxElements } from './jsx.js'
import type { ${imports.join(', ')} } from '${components}/index.ts'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectTrue<T extends true>(): T | void {}
type OnEvents<T extends keyof RtJsxElements> = keyof RtJsxElements[T] & \`onrt-\${string}\`
type RtTag = Extract<keyof HTMLElementTagNameMap, \`rt-\${string}\`>
type RtEvent = Extract<keyof HTMLElementEventMap, \`rt-\${string}\`>

// Every tag, and every event exactly as its tag's event map declares it.
expectTrue<Equal<keyof RtJsxElements, RtTag>>()
expectTrue<Equal<\`on\${RtEvent}\`, { [T in keyof RtJsxElements]: OnEvents<T> }[keyof RtJsxElements]>>()
${perTag.join('\n')}

export const app = (
  <rt-provider apiUrl="/api" realtimeUrl="/deepstream" storageKey="acme" authEndpoint={async () => 'token'}>
    <rt-login mode="register" onrt-login={(event) => event.detail.user.name.toUpperCase()} onrt-logout={(event) => event.detail} />
    <rt-connection-status onrt-connection-change={(event) => event.detail.queued.toFixed()} />
    <rt-presence max={5} onrt-presence-change={(event) => event.detail.users.length} />
    <rt-task-board
      board="launch"
      virtualizeThreshold={20}
      className="board"
      onrt-task-add={(event) => event.detail.title.toUpperCase()}
      onrt-command-confirm={(event) => {
        const op: 'insert' | 'update' | 'remove' | 'call' = event.detail.type
        return op
      }}
    />
    <rt-chat room="lobby" onrt-message-send={(event) => event.detail.text.trim()} />
  </rt-provider>
)

// @ts-expect-error board is a string
export const badProperty = <rt-task-board board={42} />
// @ts-expect-error a task-add detail has no such field
export const badDetail = <rt-task-board onrt-task-add={(event) => event.detail.nope} />
// @ts-expect-error users is read-only
export const readOnly = <rt-presence users={[]} />
// @ts-expect-error no such tag
export const unknownTag = <rt-nope />
`
}

/** Writes the declarations and the probe into a folder of their own and type-checks them; returns tsc's output, or '' when clean. */
async function typeCheck(name: string, tags: ManifestTag[]): Promise<string> {
  const dir = join(work, name)
  mkdirSync(dir)
  const components = relative(dir, join(root, 'components'))
  writeFileSync(
    join(dir, 'jsx.d.ts'),
    jsxDeclarations(tags, (t) => relative(dir, join(root, t.module))),
  )
  writeFileSync(join(dir, 'probe.tsx'), probe(tags, components))
  const tsconfig = {
    extends: relative(dir, join(root, 'tsconfig.json')),
    compilerOptions: { jsx: 'react-jsx', types: [], noEmit: true, skipLibCheck: true },
    include: ['probe.tsx', 'jsx.d.ts'],
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig))
  try {
    await run('npx', ['tsc', '-p', join(dir, 'tsconfig.json')], { cwd: root })
    return ''
  } catch (error) {
    return (error as { stdout: string }).stdout
  }
}

describe('rtkit/jsx', () => {
  it('reads every tag of components/ from the manifest, with its writable properties and events', () => {
    const tags = manifestTags(manifest, tagNames)
    assert.deepEqual(
      tags.map((t) => t.tag),
      tagNames,
    )
    const board = tags.find((t) => t.tag === 'rt-task-board')!
    assert.deepEqual(board.properties, ['board', 'virtualizeThreshold'])
    assert.ok(board.events.includes('rt-task-add') && board.events.includes('rt-command-confirm'))
  })

  it('fails the build when a tag folder has no definition in the manifest', () => {
    assert.throws(() => manifestTags(manifest, [...tagNames, 'rt-poll']), /missing rt-poll/)
  })

  it('types every tag, property and event in React JSX, and rejects misuse', async () => {
    const output = await typeCheck('complete', manifestTags(manifest, tagNames))
    assert.equal(output, '')
  })

  it('fails the type check when a tag or an event is missing', async () => {
    const tags = manifestTags(manifest, tagNames)
    const withoutEvent = tags.map((t) => (t.tag === 'rt-task-board' ? { ...t, events: t.events.filter((e) => e !== 'rt-task-add') } : t))
    const withoutTag = tags.filter((t) => t.tag !== 'rt-chat')
    const [eventMissing, tagMissing] = await Promise.all([typeCheck('no-event', withoutEvent), typeCheck('no-tag', withoutTag)])
    // TS2344: an `expectTrue<Equal<…>>` coverage check failed (not only a use of the missing tag or event).
    assert.match(eventMissing, /probe\.tsx\(\d+,\d+\): error TS2344/)
    assert.match(tagMissing, /probe\.tsx\(\d+,\d+\): error TS2344/)
  })
})
