import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

/**
 * Bundles each handler module under `server/lambdas/` into one self-contained
 * ES module (`dist/lambdas/<name>.mjs`) as a Lambda deployment would ship it.
 * Returns the written files.
 */
export async function buildLambdas(root: string, outdir = join(root, 'dist', 'lambdas')): Promise<string[]> {
  const dir = join(root, 'server', 'lambdas')
  const entries = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  await build({
    entryPoints: entries.map((name) => join(dir, name)),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    outExtension: { '.js': '.mjs' },
    // CommonJS dependencies (the rethinkdb driver) call require() for Node
    // built-ins; give the ES module bundle a real require.
    banner: { js: "import { createRequire as __rtkitRequire } from 'node:module'; const require = __rtkitRequire(import.meta.url);" },
    logLevel: 'warning',
  })
  return entries.map((name) => join(outdir, name.replace(/\.ts$/, '.mjs')))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = await buildLambdas(new URL('..', import.meta.url).pathname)
  console.log(`built ${files.length} Lambda bundles in dist/lambdas`)
}
