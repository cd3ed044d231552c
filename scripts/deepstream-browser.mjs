// The deepstream client's prebuilt browser build (ds.min.js), made fit for a
// page with a strict Content Security Policy. Shared by vite.config.ts (the
// bundles and the demo) and web-test-runner.config.mjs (the browser tests).
//
// The build carries protobuf.js's `inquire`, which looks for optional Node
// modules with `eval("quire".replace(/^/,"re"))(name)`: on a page without
// 'unsafe-eval' the browser refuses it and reports a violation on every load.
// In a browser that lookup always fails anyway (there is no `require`), so
// replacing the eval by "nothing found" changes nothing but the report.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Absolute path of the deepstream client's browser build. */
export const deepstreamBrowserBuild = require.resolve('@deepstream/client/dist/bundle/ds.min.js')

const INQUIRE_EVAL = 'eval("quire".replace(/^/,"re"))'

/**
 * The browser build's source without its `eval`; throws if the build no
 * longer has the expected expression (a new client version: look again).
 *
 * @param {string} code the source of ds.min.js
 * @returns {string}
 */
export function withoutEval(code) {
  if (!code.includes(INQUIRE_EVAL))
    throw new Error(`${deepstreamBrowserBuild}: protobuf's inquire() eval not found; check it for eval again`)
  return code.replaceAll(INQUIRE_EVAL, '(function () { return undefined })')
}
