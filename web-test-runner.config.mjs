// Component tests in real Chromium against the real bundled server.
//
// `serverStart` boots the whole stack in this process on ephemeral ports
// (embedded database, API gateway, deepstream, bridge) with the demo seed;
// tests read its URLs from /__rtkit/env.json. `serverStop` shuts it down.
import { mkdirSync, writeFileSync } from 'node:fs'
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { defaultReporter } from '@web/test-runner'
import { chromeLauncher } from '@web/test-runner-chrome'
import { tsImport } from 'tsx/esm/api'
import { chromiumArgs, chromiumPath } from './e2e/chromium.mjs'
import { deepstreamClientModule } from './scripts/deepstream-browser.mjs'

/** @type {{ apiUrl: string, realtimeUrl: string, close(): Promise<void> } | undefined} */
let stack

/**
 * The policy of a strict embedding page (README, "Content Security Policy"):
 * no inline script or style anywhere, and connections only to the page, the
 * API and the realtime server (on loopback, at ports the stack picks).
 */
const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:*",
].join('; ')

/**
 * Records every Content Security Policy violation of the page, from its
 * first script on, in `window.__cspViolations` (read by the CSP tests).
 */
const CSP_WATCH_PATH = '/__rtkit/csp-watch.js'
const cspWatch = `window.__cspViolations = []
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample, source: event.sourceFile + ':' + event.lineNumber })
})`

/** The deepstream client as the builds ship it (`scripts/deepstream-browser.mjs`), served here. */
const DEEPSTREAM_PATH = '/__rtkit/deepstream-client.js'
let deepstreamModule = ''

const rtkitServer = {
  name: 'rtkit-server',
  async serverStart() {
    const { startStack } = await tsImport('./server/stack.ts', import.meta.url)
    const { testEnv } = await tsImport('./server/testing/test-env.ts', import.meta.url)
    stack = await startStack(testEnv())
    deepstreamModule = await deepstreamClientModule()
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
    if (context.path === CSP_WATCH_PATH) return { body: cspWatch, type: 'js' }
    return undefined
  },
}

/**
 * `executeServerCommand('rtkit-screenshot', { name })` saves the test page
 * as `test-artifacts/screenshots/<name>.png` (Chromium's own screenshot, as
 * the page looks now) and returns the path, for tests whose proof is also a
 * picture (the right-to-left layouts). Names are letters, digits and dashes.
 */
const screenshots = {
  name: 'rtkit-screenshot',
  async executeCommand({ command, payload, session }) {
    if (command !== 'rtkit-screenshot') return undefined
    const name = String(payload?.name ?? '')
    if (!/^[a-z0-9-]{1,80}$/.test(name)) throw new Error(`rtkit-screenshot: bad name ${JSON.stringify(name)}`)
    const folder = 'test-artifacts/screenshots'
    mkdirSync(folder, { recursive: true })
    const path = `${folder}/${name}.png`
    await session.browser.getPage(session.id).screenshot({ path, fullPage: true })
    return path
  },
}

/**
 * Writes the run's counts as JSON to `$RTKIT_WTR_SUMMARY` (when set), for
 * `scripts/test.mjs` to read instead of scraping the console: every test
 * that passed or failed, and a failed file whose tests could not run (a
 * load error) as one failure.
 */
function summaryFile() {
  return {
    onTestRunFinished({ sessions }) {
      const path = process.env.RTKIT_WTR_SUMMARY
      if (!path) return
      let passed = 0
      let failed = 0
      const count = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) continue
          if (test.passed) passed++
          else failed++
        }
        for (const child of suite.suites) count(child)
      }
      for (const session of sessions) {
        if (session.testResults) count(session.testResults)
        if (!session.passed && (!session.testResults || session.errors?.length)) failed++
      }
      writeFileSync(path, JSON.stringify({ passed, failed }))
    },
  }
}

export default {
  reporters: [defaultReporter(), summaryFile()],
  // `*.node.test.ts` are the components' pure helpers, run by Node (`npm test -- node`).
  files: ['components/**/*.test.ts', '!components/**/*.node.test.ts', '!components/**/*.csp.test.ts'],
  groups: [
    {
      // The tags on a page with a strict Content Security Policy. wtr puts its own inline
      // set-up script first in <head>; the <meta> policy governs everything after it.
      name: 'csp',
      files: 'components/**/*.csp.test.ts',
      testRunnerHtml: (testFramework) =>
        `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${STRICT_CSP}">` +
        `<script src="${CSP_WATCH_PATH}"></script></head>` +
        `<body><script type="module" src="${testFramework}"></script></body></html>`,
    },
  ],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromiumPath(), headless: true, args: chromiumArgs },
    }),
  ],
  plugins: [rtkitServer, screenshots, esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
}
