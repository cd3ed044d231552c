// Component tests in real Chromium against the real bundled server.
//
// `serverStart` boots the whole stack in this process on ephemeral ports
// (embedded database, API gateway, deepstream, bridge) with the demo seed;
// tests read its URLs from /__rtkit/env.json. `serverStop` shuts it down.
import { createRequire } from 'node:module'
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { chromeLauncher } from '@web/test-runner-chrome'
import { build } from 'esbuild'
import { tsImport } from 'tsx/esm/api'
import { chromiumArgs, chromiumPath } from './e2e/chromium.mjs'

const require = createRequire(import.meta.url)

/** @type {{ apiUrl: string, realtimeUrl: string, close(): Promise<void> } | undefined} */
let stack

/**
 * The deepstream client is CommonJS; its prebuilt browser bundle (with the
 * Buffer polyfill it needs) is wrapped once into an ES module and served here.
 */
const DEEPSTREAM_PATH = '/__rtkit/deepstream-client.js'
let deepstreamModule = ''

const rtkitServer = {
  name: 'rtkit-server',
  async serverStart() {
    const { startStack } = await tsImport('./server/stack.ts', import.meta.url)
    const { testEnv } = await tsImport('./server/testing/test-env.ts', import.meta.url)
    stack = await startStack(testEnv())
    // Re-export every name the browser build has (DeepstreamClient, C, …).
    const browserBuild = require.resolve('@deepstream/client/dist/bundle/ds.min.js')
    const names = Object.keys(require(browserBuild)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
    const bundle = await build({
      stdin: {
        contents: `import * as client from ${JSON.stringify(browserBuild)}\nexport const { ${names.join(', ')} } = client`,
        resolveDir: process.cwd(),
      },
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    deepstreamModule = bundle.outputFiles[0].text
  },
  async serverStop() {
    await stack?.close()
    stack = undefined
  },
  resolveImport({ source }) {
    if (source === '@deepstream/client') return DEEPSTREAM_PATH
    return undefined
  },
  serve(context) {
    if (context.path === '/__rtkit/env.json') {
      return { body: JSON.stringify({ apiUrl: stack?.apiUrl, realtimeUrl: stack?.realtimeUrl }), type: 'json' }
    }
    if (context.path === DEEPSTREAM_PATH) return { body: deepstreamModule, type: 'js' }
    return undefined
  },
}

export default {
  files: ['components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath(), headless: true, args: chromiumArgs },
    }),
  ],
  plugins: [rtkitServer, esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
}
