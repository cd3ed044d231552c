// The deepstream client rtkit ships to browsers: built here, with esbuild,
// from the client package's own CommonJS source (`dist/src`), instead of
// taking its prebuilt browser build (`dist/bundle/ds.min.js`). Shared by
// vite.config.ts (the bundles and the demo), web-test-runner.config.mjs
// (the browser tests) and bench/figures/bundle-size.ts.
//
// Why not ds.min.js: it is 46 KB min+gzip, almost half of the all-in-one
// bundle, and most of it is code rtkit never runs. Measured (bench
// `bundle.deepstream`, and the build of each variant): the same source built
// here is 45 KB; without the record and RPC handlers (rtkit uses
// connection, auth, events and presence only) 34 KB; without the offline
// storage services (offlineEnabled is never set) 32 KB; without `long` (the
// deepstream protocol has no 64-bit field) 28 KB; with the client's version
// instead of its whole package.json 27 KB. ds.min.js also carries a `buffer`
// polyfill for one `new Buffer(bytes)`, which protobuf.js reads as well as a
// Uint8Array, and protobuf.js's `inquire`, a direct `eval`, which a page with a
// strict Content Security Policy refuses; this build has neither (checked below).
// A hand-written protocol client would save little more than the 27 KB
// minus protobuf.js's runtime and the generated messages, and would be a
// second implementation of the protocol to keep in step with the server.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'

const require = createRequire(import.meta.url)

/** The client package's CommonJS entry (`@deepstream/client` in Node.js). */
const clientEntry = require.resolve('@deepstream/client')
const clientPackage = join(dirname(clientEntry), '..', 'package.json')
/** The generated protocol module the client's parser and builder use. */
const generatedProtocol = createRequire(clientEntry).resolve('@deepstream/protobuf/dist/generated/protobuf.js')

/**
 * Modules of the client rtkit never runs, replaced by an empty stand-in of
 * the same export. `client.record`, `client.rpc` exist but have no methods;
 * rtkit's gateway (services/gateways/deepstream-gateway.ts) is the only user
 * of the client and uses `event`, `presence`, `login`, `on` and `close`.
 */
const LEFT_OUT = [
  { path: /\/record\/record-handler\.js$/, name: 'RecordHandler', why: 'records' },
  { path: /\/rpc\/rpc-handler\.js$/, name: 'RPCHandler', why: 'RPCs' },
  { path: /\/storage\/indexdb-storage-service\.js$/, name: 'IndexdbStorage', why: 'offline storage (offlineEnabled)' },
  { path: /\/storage\/localstorage-storage-service\.js$/, name: 'LocalstorageStorage', why: 'offline storage (offlineEnabled)' },
]

/**
 * Message classes of the generated protocol module rtkit's client never
 * sends or reads: server-to-server topics (cluster, monitoring, state
 * registry), and records, locks and RPCs. A message on one of these topics
 * would be read as a parser error.
 */
export const UNUSED_MESSAGES = ['ClusterMessage', 'LockMessage', 'MonitoringMessage', 'StateMessage', 'RecordMessage', 'RpcMessage']

/**
 * The generated module without UNUSED_MESSAGES: each is one
 * `$root.XMessage = (function() {` … `})();` block at the start of a line.
 *
 * @param {string} code
 * @returns {string}
 */
function withoutUnusedMessages(code) {
  let trimmed = code
  for (const name of UNUSED_MESSAGES) {
    const start = trimmed.indexOf(`\n$root.${name} = (function() {\n`)
    const end = start < 0 ? -1 : trimmed.indexOf('\n})();\n', start)
    if (end < 0) throw new Error(`${generatedProtocol}: ${name} is not where this build expects it`)
    trimmed = `${trimmed.slice(0, start)}\n$root.${name} = undefined;\n${trimmed.slice(end + 7)}`
  }
  return trimmed
}

/** @type {import('esbuild').Plugin} */
const leaveOut = {
  name: 'rtkit-deepstream-leave-out',
  setup(esbuild) {
    for (const { path, name, why } of LEFT_OUT) {
      esbuild.onLoad({ filter: path }, () => ({
        contents: `// rtkit's build of the deepstream client has no ${why}.\nexports.${name} = class ${name} {}\n`,
        loader: 'js',
      }))
    }
    // protobuf.js looks for `long` for 64-bit fields; the protocol has none (checked in deepstreamClientModule).
    esbuild.onResolve({ filter: /^long$/ }, () => ({ path: 'long', namespace: 'rtkit-none' }))
    esbuild.onLoad({ filter: /.*/, namespace: 'rtkit-none' }, () => ({ contents: 'module.exports = null', loader: 'js' }))
    // The client reads its package.json for the version it reports when it connects.
    esbuild.onLoad({ filter: /[\\/]@deepstream[\\/]client[\\/]dist[\\/]package\.json$/ }, ({ path }) => ({
      contents: `module.exports = { version: ${JSON.stringify(JSON.parse(readFileSync(path, 'utf8')).version)} }`,
      loader: 'js',
    }))
  },
}

/** @type {Map<boolean, Promise<string>>} */
const built = new Map()

/**
 * The deepstream client as one minified ES module exporting
 * `DeepstreamClient` and `C`, built once per process. Throws when the
 * package no longer has the shape this build relies on (a new client
 * version: look again), or when the result would need `eval`.
 *
 * @param {{ unusedMessages?: boolean }} [options] `unusedMessages: false` also leaves out UNUSED_MESSAGES
 * @returns {Promise<string>}
 */
export function deepstreamClientModule({ unusedMessages = true } = {}) {
  let module = built.get(unusedMessages)
  if (!module) built.set(unusedMessages, (module = buildClient(unusedMessages)))
  return module
}

/** @param {boolean} unusedMessages */
async function buildClient(unusedMessages) {
  if (/\b(?:s?fixed|u?int|sint)64\b/.test(readFileSync(generatedProtocol, 'utf8')))
    throw new Error(`${generatedProtocol} has a 64-bit field now: protobuf.js needs \`long\`, which this build leaves out`)
  const result = await build({
    stdin: { contents: `export { DeepstreamClient, C } from ${JSON.stringify(clientEntry)}`, resolveDir: dirname(clientPackage) },
    // One minified ES module for browsers (Node.js 22 and later run it too; `ws` stands in before).
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    bundle: true,
    metafile: true,
    minify: true,
    logLevel: 'silent',
    write: false,
    define: {
      // Node's `global` (socket-factory.js takes `global.WebSocket`).
      global: 'globalThis',
      // socket-factory.js wraps each frame in `new Buffer(new Uint8Array(data))`; protobuf.js reads a Uint8Array as well.
      Buffer: 'Uint8Array',
      'process.env.NODE_ENV': '"production"',
    },
    plugins: [
      leaveOut,
      {
        name: 'rtkit-deepstream-messages',
        setup(esbuild) {
          if (unusedMessages) return
          esbuild.onLoad({ filter: /[\\/]generated[\\/]protobuf\.js$/ }, ({ path }) => ({
            contents: withoutUnusedMessages(readFileSync(path, 'utf8')),
            loader: 'js',
          }))
        },
      },
    ],
  })
  const inputs = Object.keys(result.metafile.inputs)
  for (const { path, name } of LEFT_OUT)
    if (!inputs.some((input) => path.test(input))) throw new Error(`${clientEntry}: ${name} is no longer where this build expects it`)
  const code = result.outputFiles[0].text
  if (/\beval\s*\(|\bFunction\s*\(/.test(code))
    throw new Error('the deepstream client build uses eval or Function(): check its dependencies')
  return code
}
