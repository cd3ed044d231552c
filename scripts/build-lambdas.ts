import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Metafile, type Plugin } from 'esbuild'
import { findConfigFile } from '../server/collections/load-config.ts'
import { compileFunctions } from '../server/functions/compile-functions.ts'

const require = createRequire(import.meta.url)

/** The Node.js version the bundles run on (the deployment's runtime, deploy/http-api.ts), at its lowest. */
export const RUNTIME_NODE_VERSION = '22.0.0'

/**
 * jsonwebtoken asks semver, when it loads, whether the Node.js it runs on
 * supports some key features (`module.exports = semver.satisfies(process.version, '>=16.9.0')`
 * and two more). The bundles run on one known Node.js, so the answers are
 * worked out here, once, and semver (28 KB, about 8 ms of every cold start)
 * stays out. A module that no longer has that shape is left as it is.
 */
const versionChecksAnswered: Plugin = {
  name: 'rtkit:version-checks-answered',
  setup(plugins) {
    const semver = require('semver') as { satisfies(version: string, range: string): boolean }
    plugins.onLoad({ filter: /[\\/]jsonwebtoken[\\/]lib[\\/][A-Za-z]+Supported\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const check =
        /^\s*(?:const|var|let) semver = require\('semver'\);?\s*module\.exports = semver\.satisfies\(process\.version, '([^']+)'\);?\s*$/.exec(
          source,
        )
      if (!check) return undefined
      return { contents: `module.exports = ${semver.satisfies(RUNTIME_NODE_VERSION, check[1]!)};\n`, loader: 'js' }
    })
  },
}

/**
 * Bundles the operator's config module into every handler: each handler
 * entry first imports `server/collections/bundled-config.ts`, which registers
 * the collections of `rtkit:operator-config`, resolved here to `configFile`.
 * Without a config module the handlers serve the built-ins, as a server does.
 */
function operatorConfig(root: string, configFile: string): Plugin {
  const bundled = join(root, 'server', 'collections', 'bundled-config.ts')
  return {
    name: 'rtkit:operator-config',
    setup(plugins) {
      plugins.onResolve({ filter: /^rtkit:operator-config$/ }, () => ({ path: configFile }))
      configApiFromSource(root).setup(plugins)
      plugins.onLoad({ filter: /[\\/]server[\\/]lambdas[\\/][^\\/]+\.ts$/ }, (args) => ({
        contents: `import ${JSON.stringify(bundled)}\n${readFileSync(args.path, 'utf8')}`,
        loader: 'ts',
        resolveDir: dirname(args.path),
      }))
    },
  }
}

/**
 * Resolves `rtkit-server/config`, which an operator's config module imports,
 * to this repository's source of that entry: a config bundled here (into the
 * handlers or the server image) carries its own copy of the API, and the
 * server reads what it made by `Symbol.for` labels, whichever copy made it.
 */
export function configApiFromSource(root: string): Plugin {
  return {
    name: 'rtkit:config-api-from-source',
    setup(plugins) {
      plugins.onResolve({ filter: /^rtkit-server\/config$/ }, () => ({ path: join(root, 'server', 'collections', 'config-entry.ts') }))
    },
  }
}

/** The file beside the bundles that names the config's functions: the deployment gives each a Lambda of its own. */
export const FUNCTIONS_MANIFEST = 'functions.json'

/**
 * The names of the functions `configFile` declares, checked as a server
 * checks them: the config is bundled the way the handlers bundle it (so
 * `rtkit-server/config` resolves here too), imported once, and compiled.
 */
async function declaredFunctions(root: string, outdir: string, configFile: string | undefined, banner: string): Promise<string[]> {
  if (!configFile) return []
  const probe = await build({
    stdin: {
      contents: "export { default } from 'rtkit:operator-config'",
      resolveDir: root,
      loader: 'js',
      sourcefile: 'functions-probe.js',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    banner: { js: banner },
    plugins: [operatorConfig(root, configFile)],
    logLevel: 'warning',
  })
  // A new name each time: a module once imported stays cached in this process.
  const file = join(outdir, `.functions-probe-${randomUUID()}.mjs`)
  writeFileSync(file, probe.outputFiles[0]!.text)
  try {
    const { default: config } = (await import(pathToFileURL(file).href)) as { default: unknown }
    return compileFunctions(config, relative(root, configFile)).map((fn) => fn.name)
  } finally {
    rmSync(file, { force: true })
  }
}

/** One handler's bundle: its entry file and what it loads. */
export interface LambdaBundle {
  name: string
  file: string
  /** Bytes of the entry and every chunk it imports statically: what a cold start loads. */
  initBytes: number
  /** Bytes including chunks loaded on first use (dynamic imports). */
  totalBytes: number
}

function closure(metafile: Metafile, root: string, file: string, dynamic: boolean, seen = new Set<string>()): number {
  if (seen.has(file)) return 0
  seen.add(file)
  const output = metafile.outputs[file]
  if (!output) return 0
  let bytes = output.bytes
  for (const dependency of output.imports) {
    if (dependency.external || (!dynamic && dependency.kind === 'dynamic-import')) continue
    bytes += closure(metafile, root, dependency.path, dynamic, seen)
  }
  return bytes
}

const REQUIRE_BANNER = "import { createRequire as __rtkitRequire } from 'node:module'; const require = __rtkitRequire(import.meta.url);"

/**
 * Bundles each handler module under `server/lambdas/` into an ES module
 * (`dist/lambdas/<name>.mjs`, plus shared chunks under `dist/lambdas/chunks/`)
 * as a Lambda deployment would ship it, and writes {@link FUNCTIONS_MANIFEST}:
 * the names of the config's functions, `{ "functions": [...] }`.
 */
export async function buildLambdas(
  root: string,
  outdir = join(root, 'dist', 'lambdas'),
  configFile: string | undefined = findConfigFile(process.env.RTKIT_CONFIG),
): Promise<LambdaBundle[]> {
  const dir = join(root, 'server', 'lambdas')
  const entries = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  // One build per handler, not one for all: a build of several entries moves
  // the code two handlers share into chunks of its own, so each cold start
  // resolved, read and compiled six to eight files. Built alone, a handler's
  // entry holds everything its init runs; what it loads on first use (the
  // driver, the logger) is still split off. A chunk's name is the hash of its
  // content, so the handlers' identical chunks are one file.
  // Chunks of an earlier build would ship with the new ones: names change with their content.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true })
  const built = await Promise.all(
    entries.map((name) =>
      build({
        metafile: true,
        absWorkingDir: root,
        entryPoints: [join(dir, name)],
        outdir,
        bundle: true,
        platform: 'node',
        // The runtime the deployment uses (deploy/http-api.ts): Lambda no longer
        // accepts new nodejs20.x functions.
        target: `node${RUNTIME_NODE_VERSION.split('.')[0]}`,
        format: 'esm',
        minify: true,
        outExtension: { '.js': '.mjs' },
        // The Node.js Lambda runtime provides the AWS SDK v3; the secrets reader
        // (server/lib/secrets.ts) loads it only when a deployment asks for it.
        external: ['@aws-sdk/*'],
        // Code loaded on first use (the rethinkdb driver) goes to chunks, so a
        // cold start neither parses nor runs it; a deployment ships the
        // handler file with the chunks beside it.
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        // CommonJS dependencies (the rethinkdb driver) call require() for Node
        // built-ins; give the ES module bundle a real require.
        banner: { js: REQUIRE_BANNER },
        plugins: [versionChecksAnswered, ...(configFile ? [operatorConfig(root, configFile)] : [])],
        logLevel: 'warning',
      }),
    ),
  )
  const functions = await declaredFunctions(root, outdir, configFile, REQUIRE_BANNER)
  writeFileSync(join(outdir, FUNCTIONS_MANIFEST), `${JSON.stringify({ functions })}\n`)
  return entries.map((name, index) => {
    const file = join(outdir, name.replace(/\.ts$/, '.mjs'))
    const key = relative(root, file)
    const { metafile } = built[index]!
    return {
      name: name.replace(/\.ts$/, ''),
      file,
      initBytes: closure(metafile, root, key, false),
      totalBytes: closure(metafile, root, key, true),
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = await buildLambdas(new URL('..', import.meta.url).pathname)
  console.log(`built ${files.length} Lambda bundles in dist/lambdas`)
}
