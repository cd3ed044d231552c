import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join, relative } from 'node:path'
import { readFile } from 'node:fs/promises'
import { build, type BuildOptions, type Plugin } from 'esbuild'
import { findConfigFile } from '../server/collections/load-config.ts'
import { configApiFromSource } from './build-lambdas.ts'

/** The bundled server, and what it still loads from outside. */
export interface ServerBundle {
  file: string
  bytes: number
  /** Bare imports left external (Node built-ins aside); the server package declares none of them. */
  external: string[]
}

/**
 * Modules the server never loads on the paths rtkit uses, left out of the
 * bundle and out of the server package's dependencies. Each is required only
 * inside a try or behind an option rtkit does not set:
 * - `uWebSockets.js`: deepstream's uws endpoint (a GitHub-only dependency
 *   npm users cannot fetch); rtkit runs the `ws-binary` endpoint;
 * - `bufferutil`, `utf-8-validate`: optional native accelerators of `ws`;
 * - `node-localstorage`: the deepstream client's offline record storage in Node (off);
 * - `pino-pretty`: pretty printing of deepstream's own logger (off);
 * - `../../meta.json`: deepstream's build info, which falls back to its package.json.
 */
export const NEVER_LOADED = ['uWebSockets.js', 'bufferutil', 'utf-8-validate', 'node-localstorage', 'pino-pretty', '../../meta.json']

/**
 * reqlite (the embedded database) loads its own modules with
 * `require(__dirname + "/x.js")`, which no bundler can follow. Rewritten to
 * plain relative requires while bundling, they are bundled like any other.
 */
function reqliteRelativeRequires(): Plugin {
  return {
    name: 'rtkit:reqlite-relative-requires',
    setup(build) {
      build.onLoad({ filter: /[\\/]reqlite[\\/]lib[\\/][^\\/]+\.js$/ }, async (args) => ({
        contents: (await readFile(args.path, 'utf8')).replace(/require\(__dirname\s*\+\s*(["'])\//g, 'require($1./'),
        loader: 'js',
      }))
    },
  }
}

/** The embedded database's worker thread, a bundle of its own beside `server.mjs`. */
export const EMBEDDED_WORKER_FILE = 'embedded-worker.mjs'

/** How both server modules are bundled: one minified ES module for Node 20 and later. */
const NODE_MODULE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
} as const

/**
 * Bundles `server/start.ts` (configuration, embedded database, migrations,
 * gateway, every handler, deepstream, the bridge) into one ES module,
 * `dist/server/server.mjs`: the `rtkit-server` command of the server package;
 * and beside it `embedded-worker.mjs`, the embedded database's worker thread.
 * Bundling is what lets npm users install the server without deepstream's
 * unfetchable uWebSockets.js dependency and without the development tooling.
 */
export async function buildServer(
  root: string,
  outdir = join(root, 'dist', 'server'),
  configFile: string | undefined = findConfigFile(process.env.RTKIT_CONFIG),
  { configEntry = true }: { configEntry?: boolean } = {},
): Promise<ServerBundle> {
  mkdirSync(outdir, { recursive: true })
  const file = join(outdir, 'server.mjs')
  const serverModule = {
    absWorkingDir: root,
    ...NODE_MODULE,
    sourcemap: 'linked' as const,
    metafile: true as const,
    external: NEVER_LOADED,
    plugins: [reqliteRelativeRequires()],
    // CommonJS dependencies call require() for Node built-ins and read
    // __dirname; give the ES module both.
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __rtkitRequire } from 'node:module';",
        "import { fileURLToPath as __rtkitPath } from 'node:url';",
        'const require = __rtkitRequire(import.meta.url);',
        'const __filename = __rtkitPath(import.meta.url);',
        "const __dirname = __rtkitPath(new URL('.', import.meta.url));",
      ].join('\n'),
    },
  } satisfies BuildOptions
  const result = await build({ ...serverModule, entryPoints: [join(root, 'server', 'start.ts')], outfile: file })
  // The embedded database's worker thread (server/db/embedded-thread.ts), which server.mjs starts from beside itself.
  const worker = await build({
    ...serverModule,
    entryPoints: [join(root, 'server', 'db', 'embedded-worker.ts')],
    outfile: join(outdir, EMBEDDED_WORKER_FILE),
  })
  // The package's `rtkit-server/config` (with its declarations, a tsc run); an image needs none of it.
  if (configEntry) await buildConfigEntry(root, outdir)
  await buildImageConfig(root, outdir, configFile)
  const output = result.metafile.outputs[relative(root, file)]
  const imports = [
    ...(output?.imports ?? []),
    ...(worker.metafile.outputs[relative(root, join(outdir, EMBEDDED_WORKER_FILE))]?.imports ?? []),
  ]
  const external = [...new Set(imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path))]
  // What the package step checks: nothing outside NEVER_LOADED may stay external.
  writeFileSync(join(outdir, 'externals.json'), JSON.stringify(external.sort()))
  return { file, bytes: output?.bytes ?? 0, external }
}

/**
 * `rtkit-server/config`, what an operator's `rtkit.config.mjs` imports:
 * `dist/server/config.mjs` (defineConfig, defineCollection, text and the
 * built-ins, zod/mini inside, so the package keeps no dependencies) and its
 * declarations in `dist/server/types/`. It is a module of its own, not a
 * part of server.mjs: the config is imported by the operator's code, and the
 * server reads what it made by `Symbol.for` labels, whichever copy made it.
 */
async function buildConfigEntry(root: string, outdir: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'server', 'collections', 'config-entry.ts')],
    outfile: join(outdir, 'config.mjs'),
    ...NODE_MODULE,
  })
  const types = join(outdir, 'types')
  rmSync(types, { recursive: true, force: true })
  execFileSync('npx', ['tsc', '-p', 'tsconfig.server-config.json', '--outDir', types], { cwd: root, stdio: 'inherit' })
}

/** The operator's config, bundled for the server image: see {@link buildImageConfig}. */
export const IMAGE_CONFIG_FILE = 'rtkit.config.mjs'

/**
 * The operator's config module (`rtkit.config.*`, `--config`/`RTKIT_CONFIG`
 * at build time) as one self-contained file, `dist/server/rtkit.config.mjs`,
 * with what it imports (`rtkit-server/config`, its schema library) inside.
 * The server image copies it beside `server.mjs`, into the folder the server
 * starts in, so deepstream's permissions, the bridge and the migrations in
 * the containers read the same collections as the Lambda handlers, which
 * carry the same config in their bundles. Without a config module there is
 * no such file, and the image serves the built-ins.
 */
export async function buildImageConfig(root: string, outdir: string, configFile: string | undefined): Promise<void> {
  const outfile = join(outdir, IMAGE_CONFIG_FILE)
  rmSync(outfile, { force: true })
  if (!configFile) return
  await build({ absWorkingDir: root, entryPoints: [configFile], outfile, ...NODE_MODULE, plugins: [configApiFromSource(root)] })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bundle = await buildServer(new URL('..', import.meta.url).pathname)
  console.log(`built ${relative(process.cwd(), bundle.file)} (${Math.round(bundle.bytes / 1024)} KB)`)
}
