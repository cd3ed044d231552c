import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild'
import { deepstreamClientModule, UNUSED_MESSAGES } from '../../scripts/deepstream-browser.mjs'
import { minifyCssLiterals } from '../../scripts/minify-css-literals.mjs'
import { tagEntries } from '../../scripts/tags.ts'
import { round, type Figure } from '../stats.ts'

// Third-party code kept out of the "own code" figure.
const THIRD_PARTY = ['lit', 'lit/*', '@lit/*', '@lit-labs/*', 'rxjs', 'rxjs/*', '@deepstream/client']

const kb = (bytes: number) => round(bytes / 1024, 1)
const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length

/** What the library build does to the sources (vite.config.ts), for esbuild. */
const asBuilt: Plugin = {
  name: 'rtkit-as-built',
  setup(plugins) {
    plugins.onLoad({ filter: /\/components\/.*\.ts$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8')
      return code.includes('css`') ? { contents: minifyCssLiterals(code), loader: 'ts' } : undefined
    })
    // rtkit's build of the deepstream client, as vite.config.ts resolves it (unless left out as external).
    if (plugins.initialOptions.external?.includes('@deepstream/client')) return
    plugins.onResolve({ filter: /^@deepstream\/client$/ }, () => ({ path: 'deepstream-client', namespace: 'rtkit-as-built' }))
    plugins.onLoad({ filter: /.*/, namespace: 'rtkit-as-built' }, async () => ({ contents: await deepstreamClientModule(), loader: 'js' }))
  },
}

function options(entry: string, external: string[]): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external,
    // rxjs's ES2015 build, as the single-file builds take it.
    conditions: ['es2015'],
    plugins: [asBuilt],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  }
}

async function minifiedGzip(entry: string, external: string[] = []): Promise<number> {
  const result = await build(options(entry, external))
  return gzip(result.outputFiles![0]!.contents)
}

/** The files `file` loads before anything it imports dynamically (what a page fetches up front). */
function staticClosure(metafile: Metafile, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  for (const dependency of metafile.outputs[file]?.imports ?? [])
    if (!dependency.external && dependency.kind === 'import-statement') staticClosure(metafile, dependency.path, seen)
  return seen
}

/**
 * A page with every tag that nobody is signed in on: the app bundled with
 * code splitting, as any bundler does, and the files fetched before a
 * dynamic import runs (the deepstream client and the virtualizer are loaded
 * on demand), each gzipped as a server would send it.
 */
export async function signedOutFirstLoad(
  root: string,
  entry: string,
): Promise<{ bytes: number; files: number; deferred: number; sources: ReadonlySet<string> }> {
  const outdir = join(root, 'dist', 'bench-split')
  const result = await build({
    ...options(entry, []),
    absWorkingDir: root,
    splitting: true,
    outdir,
    metafile: true,
    chunkNames: 'chunks/[name]-[hash]',
  })
  const sizes = new Map(result.outputFiles!.map((file) => [relative(root, file.path), gzip(file.contents)]))
  // The page's own entry: the modules it imports dynamically are entry points of the metafile too.
  const outputs = result.metafile.outputs
  const start = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === relative(root, entry))!
  const loaded = staticClosure(result.metafile, start)
  const all = [...sizes.entries()].filter(([file]) => file.endsWith('.js'))
  const bytes = all.filter(([file]) => loaded.has(file)).reduce((sum, [, size]) => sum + size, 0)
  const deferred = all.filter(([file]) => !loaded.has(file)).reduce((sum, [, size]) => sum + size, 0)
  // The source files with code in the first load.
  const sources = new Set([...loaded].flatMap((file) => Object.keys(outputs[file]?.inputs ?? {})))
  return { bytes, files: loaded.size, deferred, sources }
}

/**
 * Figure 4: min+gzip of the all-in-one single-file bundle (as built by
 * `npm run build`; on-demand imports are inlined there), of a signed-out
 * page's first load, of each tag's entry on its own (with lit; the facade is
 * injected, so a tag alone carries no services), and of rtkit's own code
 * without lit, rxjs and the deepstream client.
 */
export async function bundleSize(root: string): Promise<Figure[]> {
  const group = '4 bundle size'
  const all = gzip(readFileSync(join(root, 'dist', 'rtkit.bundle.js')))
  const signedOut = await signedOutFirstLoad(root, join(root, 'components', 'index.ts'))
  const figures: Figure[] = [
    {
      id: 'bundle.all',
      group,
      name: 'all-in-one (every tag + services + lit + rxjs + virtualizer + deepstream client)',
      value: kb(all),
      unit: 'KB',
      bar: '≤ 85 KB',
      limit: 85,
      meets: all <= 85 * 1024,
    },
    {
      id: 'bundle.signedOut',
      group,
      name: 'a signed-out page with every tag: its first load',
      value: kb(signedOut.bytes),
      unit: 'KB',
      bar: '≤ 40 KB',
      limit: 40,
      meets: signedOut.bytes <= 40 * 1024,
      note: `${signedOut.files} files; ${kb(signedOut.deferred)} KB more on sign-in or a long board (the kit's signed-in half, the deepstream client, the virtualizer, the board's interactive parts)`,
    },
  ]
  for (const { folder: tag } of tagEntries(root)) {
    const size = await minifiedGzip(join(root, 'components', tag, `${tag}.ts`))
    // <rt-provider> creates the facade, so it carries services and the deepstream client:
    // most of the all-in-one bundle, so the other tags' bar is not its own.
    const facade = tag === 'provider'
    figures.push({
      id: `bundle.tag.${tag}`,
      group,
      name: `<rt-${tag}> entry alone (with lit)`,
      value: kb(size),
      unit: 'KB',
      bar: facade ? 'context' : 'much less than all-in-one',
      meets: facade ? undefined : size <= all / 2,
      note: facade ? 'creates the facade: includes services, rxjs and the deepstream client' : undefined,
    })
  }
  const own = await minifiedGzip(join(root, 'components', 'index.ts'), THIRD_PARTY)
  const deepstream = gzip(Buffer.from(await deepstreamClientModule()))
  const prebuilt = gzip(readFileSync(createRequire(import.meta.url).resolve('@deepstream/client/dist/bundle/ds.min.js')))
  figures.push({
    id: 'bundle.own',
    group,
    name: 'rtkit code only (no lit, rxjs, virtualizer, deepstream client)',
    value: kb(own),
    unit: 'KB',
    bar: 'context',
  })
  const trimmed = gzip(Buffer.from(await deepstreamClientModule({ unusedMessages: false })))
  figures.push({
    id: 'bundle.deepstreamTrim',
    group,
    name: 'what leaving out the protobuf messages rtkit never uses would save (deepstream client, measured, not done)',
    value: kb(deepstream - trimmed),
    unit: 'KB',
    bar: 'context',
    note: `${UNUSED_MESSAGES.join(', ')}: cut from the generated module at build time`,
  })
  figures.push({
    id: 'bundle.deepstream',
    group,
    name: "deepstream client alone (rtkit's build of it: connection, auth, events, presence)",
    value: kb(deepstream),
    unit: 'KB',
    bar: 'context',
    note: `the package's prebuilt browser build (ds.min.js, with records, RPCs, offline storage, long.js and a Buffer polyfill) is ${kb(prebuilt)} KB`,
  })
  return figures
}
