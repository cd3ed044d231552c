/**
 * `npm run pack`: the two npm packages, from `dist/` (`npm run build` first;
 * the `pack` script does both):
 *
 * - `dist/packages/rtkit-<version>.tgz` — the client: tags, services,
 *   contracts, the single-file bundles, types and `custom-elements.json`.
 *   Its `dependencies` are derived from what the shipped ES modules import,
 *   so they are exactly what the browser code needs; the build fails if an
 *   imported package is not a dependency of the repository. React, imported
 *   by `rtkit/react` alone, is an optional peer dependency instead.
 * - `dist/packages/rtkit-server-<version>.tgz` — the server as one bundled
 *   file with the bin `rtkit-server`, and no dependencies at all.
 *
 * The repository's own package.json is the development manifest (private,
 * never published); the published manifests are written here, so the
 * design's top-level layout stays one project.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { EMBEDDED_WORKER_FILE, NEVER_LOADED } from './build-server.ts'
import { lazyCatalogues } from './catalogues.ts'
import { tagEntries } from './tags.ts'

const root = new URL('..', import.meta.url).pathname
const dist = join(root, 'dist')
const out = join(dist, 'packages')
const stage = join(out, '.stage')

interface Manifest {
  name: string
  version: string
  description: string
  license: string
  dependencies: Record<string, string>
  engines: Record<string, string>
  [key: string]: unknown
}
const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest

/**
 * Packages the host app brings, imported by one opt-in entry only: optional
 * peer dependencies of the client, with the range it supports. Only
 * `rtkit/react` imports React (18 or later).
 */
const OPTIONAL_PEERS: Record<string, string> = { react: '>=18' }

function files(dir: string, pattern: RegExp, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files(path, pattern, found)
    else if (pattern.test(entry.name)) found.push(path)
  }
  return found
}

/** Package names (not paths) that the ES modules in `dir` import. */
export function importedPackages(dir: string): string[] {
  const names = new Set<string>()
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'./][^"']*)\1/g
  for (const file of files(dir, /\.js$/)) {
    for (const [, , spec] of readFileSync(file, 'utf8').matchAll(specifier)) {
      const parts = spec!.split('/')
      names.add(spec!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!)
    }
  }
  return [...names].sort()
}

function pack(dir: string): string {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' })
  const [result] = JSON.parse(output) as Array<{ filename: string }>
  return join(out, result!.filename)
}

function common(
  name: string,
  description: string,
): Pick<Manifest, 'name' | 'version' | 'description' | 'license' | 'engines'> & Record<string, unknown> {
  return { name, version: repo.version, description, license: repo.license, type: 'module', engines: repo.engines }
}

function clientPackage(): string {
  const dir = join(stage, 'rtkit')
  for (const name of readdirSync(dist)) {
    if (/\.js(\.map)?$/.test(name) || name === 'custom-elements.json') cpSync(join(dist, name), join(dir, 'dist', name))
  }
  cpSync(join(dist, 'chunks'), join(dir, 'dist', 'chunks'), { recursive: true })
  for (const layer of ['components', 'services', 'contracts']) {
    cpSync(join(dist, 'types', layer), join(dir, 'dist', 'types', layer), { recursive: true })
  }
  const dependencies: Record<string, string> = {}
  // `ws`: loaded by name only in Node.js before 22, which has no global WebSocket (services/gateways/deepstream-gateway.ts).
  const peerDependencies: Record<string, string> = { ws: '>=8' }
  for (const name of importedPackages(join(dir, 'dist'))) {
    if (OPTIONAL_PEERS[name]) {
      peerDependencies[name] = OPTIONAL_PEERS[name]
      continue
    }
    const range = repo.dependencies[name]
    if (!range) throw new Error(`the client's built code imports "${name}", which is not a dependency in package.json`)
    dependencies[name] = range
  }
  const entry = (types: string, file: string) => ({ types, default: file })
  const manifest = {
    ...common('rtkit', repo.description),
    main: './dist/index.js',
    module: './dist/index.js',
    types: './dist/types/components/index.d.ts',
    exports: {
      '.': entry('./dist/types/components/index.d.ts', './dist/index.js'),
      './configure': entry('./dist/types/components/configure.d.ts', './dist/configure.js'),
      // defineTags({ prefix }): registers nothing when imported, so it is not in `sideEffects`.
      './define': entry('./dist/types/components/define.d.ts', './dist/define.js'),
      // KitElement and the parts of a tag of your own; registers nothing either.
      './element': entry('./dist/types/components/element.d.ts', './dist/element.js'),
      ...Object.fromEntries(tagEntries(root).map(({ tag, types }) => [`./${tag}`, entry(types, `./dist/${tag}.js`)])),
      './services': entry('./dist/types/services/package-entry.d.ts', './dist/services.js'),
      './contracts': entry('./dist/types/contracts/package-entry.d.ts', './dist/contracts.js'),
      './react': entry('./dist/types/components/react/index.d.ts', './dist/react.js'),
      // Types only (`import type {} from 'rtkit/jsx'`); the module itself is empty.
      './jsx': entry('./dist/types/components/jsx.d.ts', './dist/jsx.js'),
      './bundle': entry('./dist/types/components/index.d.ts', './dist/rtkit.bundle.js'),
      './rtkit.bundle.js': './dist/rtkit.bundle.js',
      './rtkit.iife.js': './dist/rtkit.iife.js',
      // The catalogues those two load from beside them (`rtkit.de.js`, …).
      ...Object.fromEntries(lazyCatalogues(root).map(({ name }) => [`./${name}.js`, `./dist/${name}.js`])),
      './custom-elements.json': './dist/custom-elements.json',
      './package.json': './package.json',
    },
    // Importing a tag's entry (or a chunk holding a tag) registers the element.
    sideEffects: [
      './dist/index.js',
      './dist/rt-*.js',
      './dist/react.js',
      './dist/rtkit.bundle.js',
      './dist/rtkit.iife.js',
      './dist/chunks/*.js',
    ],
    customElements: './dist/custom-elements.json',
    files: ['dist', 'docs'],
    dependencies,
    peerDependencies,
    peerDependenciesMeta: Object.fromEntries(Object.keys(peerDependencies).map((name) => [name, { optional: true }])),
  }
  return write(dir, manifest)
}

function serverPackage(): string {
  const dir = join(stage, 'rtkit-server')
  cpSync(join(dist, 'server', 'server.mjs'), join(dir, 'server.mjs'))
  cpSync(join(dist, 'server', 'server.mjs.map'), join(dir, 'server.mjs.map'))
  cpSync(join(dist, 'server', 'config.mjs'), join(dir, 'config.mjs'))
  cpSync(join(dist, 'server', EMBEDDED_WORKER_FILE), join(dir, EMBEDDED_WORKER_FILE))
  cpSync(join(dist, 'server', `${EMBEDDED_WORKER_FILE}.map`), join(dir, `${EMBEDDED_WORKER_FILE}.map`))
  cpSync(join(dist, 'server', 'types'), join(dir, 'types'), { recursive: true })
  const externals = JSON.parse(readFileSync(join(dist, 'server', 'externals.json'), 'utf8')) as string[]
  const unexpected = externals.filter((name) => !NEVER_LOADED.includes(name))
  if (unexpected.length) throw new Error(`the server bundle leaves ${unexpected.join(', ')} external; bundle it or declare it`)
  const manifest = {
    ...common(
      'rtkit-server',
      'The rtkit server in one file: embedded database, API gateway with the Lambda handlers, deepstream, the changefeed bridge',
    ),
    bin: { 'rtkit-server': './server.mjs' },
    exports: {
      '.': './server.mjs',
      './config': { types: './types/server/collections/config-entry.d.ts', default: './config.mjs' },
      './package.json': './package.json',
    },
    files: ['server.mjs', 'server.mjs.map', EMBEDDED_WORKER_FILE, `${EMBEDDED_WORKER_FILE}.map`, 'config.mjs', 'types', 'docs'],
    dependencies: {},
  }
  return write(dir, manifest)
}

function write(dir: string, manifest: object): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  cpSync(join(root, 'README.md'), join(dir, 'README.md'))
  // The README links docs/architecture.md relatively: ship it, so the link works where npm users read it.
  cpSync(join(root, 'docs', 'architecture.md'), join(dir, 'docs', 'architecture.md'))
  cpSync(join(root, 'LICENSE'), join(dir, 'LICENSE'))
  return pack(dir)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'server', 'server.mjs'))) {
    throw new Error('dist/ is incomplete: run `npm run build` first (or `npm run pack`, which builds)')
  }
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  for (const tarball of [clientPackage(), serverPackage()]) console.log(`packed ${relative(root, tarball)}`)
  rmSync(stage, { recursive: true, force: true })
}
