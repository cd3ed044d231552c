import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { tagEntries } from '../../scripts/tags.ts'
import { round, type Figure } from '../stats.ts'

const require = createRequire(import.meta.url)
// Third-party code kept out of the "own code" figure.
const THIRD_PARTY = ['lit', 'lit/*', '@lit/*', '@lit-labs/*', 'rxjs', 'rxjs/*', '@deepstream/client']

const kb = (bytes: number) => round(bytes / 1024, 1)

async function minifiedGzip(entry: string, external: string[] = []): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external,
    // The same browser build of the deepstream client the library build uses
    // (unless the client is left out as external).
    ...(external.includes('@deepstream/client')
      ? {}
      : { alias: { '@deepstream/client': require.resolve('@deepstream/client/dist/bundle/ds.min.js') } }),
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}

/**
 * Figure 4: min+gzip of the all-in-one single-file bundle (as built by
 * `npm run build`), of each tag's entry on its own (with lit; the facade is
 * injected, so a tag alone carries no services), and of rtkit's own code
 * without lit, rxjs and the deepstream client.
 */
export async function bundleSize(root: string): Promise<Figure[]> {
  const group = '4 bundle size'
  const all = gzipSync(readFileSync(join(root, 'dist', 'rtkit.bundle.js')), { level: 9 }).length
  const figures: Figure[] = [
    {
      group,
      name: 'all-in-one (every tag + services + lit + rxjs + deepstream client)',
      value: kb(all),
      unit: 'KB',
      bar: '≤ 70 KB',
      meets: all <= 70 * 1024,
    },
  ]
  for (const { folder: tag } of tagEntries(root)) {
    const size = await minifiedGzip(join(root, 'components', tag, `${tag}.ts`))
    // <rt-provider> creates the facade, so it carries services and the deepstream client.
    const note = tag === 'provider' ? 'creates the facade: includes services, rxjs and the deepstream client' : undefined
    figures.push({
      group,
      name: `<rt-${tag}> entry alone (with lit)`,
      value: kb(size),
      unit: 'KB',
      bar: 'much less than all-in-one',
      meets: size <= all / 2,
      note,
    })
  }
  const own = await minifiedGzip(join(root, 'components', 'index.ts'), THIRD_PARTY)
  const deepstream = gzipSync(readFileSync(require.resolve('@deepstream/client/dist/bundle/ds.min.js')), { level: 9 }).length
  figures.push({ group, name: 'rtkit code only (no lit, rxjs, deepstream client)', value: kb(own), unit: 'KB', bar: 'context' })
  figures.push({ group, name: 'deepstream client browser build alone', value: kb(deepstream), unit: 'KB', bar: 'context' })
  return figures
}
