import { fileURLToPath } from 'node:url'
import { defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite'
import { deepstreamBrowserBuild, withoutEval } from './scripts/deepstream-browser.mjs'

/**
 * `vite build` produces two things (two build environments, run by `builder`):
 *
 * - `dist/` — ES modules for bundlers and import maps: one entry per tag
 *   (`rt-chat.js`, …), `configure.js`, the all-in-one `index.js`, plus
 *   `services.js` and `contracts.js`. lit, @lit/*, and rxjs stay external
 *   (the app's bundler dedupes them); shared code lands in `dist/chunks/`.
 * - `dist/rtkit.bundle.js` — one self-contained ES module with everything
 *   inlined (lit, rxjs, the deepstream client), for a plain
 *   `<script type="module" src=".../rtkit.bundle.js">` on any site.
 *
 * Type declarations (`tsc -p tsconfig.build.json`) and `custom-elements.json`
 * (`cem analyze`) come from the `build:types` and `analyze` scripts.
 */

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The deepstream client's package entry is CommonJS written for Node (it
 * reaches for `global`, `Buffer` and `require('ws')`). Its prebuilt browser
 * build carries the polyfills and uses the native WebSocket, so browser
 * builds (and the demo's dev server) use that instead.
 */
export const browserAliases = {
  '@deepstream/client': deepstreamBrowserBuild,
}

/** Takes the `eval` out of that build, so pages with a strict Content Security Policy stay clean. */
const deepstreamWithoutEval: Plugin = {
  name: 'rtkit:deepstream-without-eval',
  transform(code, id) {
    return id === deepstreamBrowserBuild ? { code: withoutEval(code), map: null } : undefined
  },
}

/** Public entries of `dist/`, by output name. */
export const entries: Record<string, string> = {
  index: here('./components/index.ts'),
  configure: here('./components/configure.ts'),
  'rt-provider': here('./components/provider/provider.ts'),
  'rt-login': here('./components/login/login.ts'),
  'rt-task-board': here('./components/task-board/task-board.ts'),
  'rt-chat': here('./components/chat/chat.ts'),
  'rt-presence': here('./components/presence/presence.ts'),
  'rt-connection-status': here('./components/connection-status/connection-status.ts'),
  services: here('./services/index.ts'),
  contracts: here('./contracts/index.ts'),
}

/** Packages a consuming app provides (peer-like): never inlined into `dist/*.js`. */
const external = /^(lit|lit-html|lit-element|@lit\/context|@lit-labs\/virtualizer|rxjs)(\/.*)?$/

const modules: BuildEnvironmentOptions = {
  outDir: here('./dist'),
  emptyOutDir: false,
  target: 'es2022',
  sourcemap: true,
  lib: { entry: entries, formats: ['es'] },
  rolldownOptions: {
    external: (id) => external.test(id),
    output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
}

const bundle: BuildEnvironmentOptions = {
  outDir: here('./dist'),
  emptyOutDir: false,
  target: 'es2022',
  minify: true,
  sourcemap: true,
  lib: { entry: { 'rtkit.bundle': here('./components/index.ts') }, formats: ['es'] },
  // Vite keeps whitespace in ES library output; the single-file bundle is for
  // direct <script> use, so minify it fully.
  rolldownOptions: { output: { entryFileNames: '[name].js', codeSplitting: false, minify: true } },
}

export default defineConfig({
  resolve: { alias: browserAliases },
  plugins: [deepstreamWithoutEval],
  // Lit and the deepstream browser build read `process.env.NODE_ENV` in places.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  builder: {
    async buildApp(builder) {
      await builder.build(builder.environments.client!)
      await builder.build(builder.environments.bundle!)
    },
  },
  environments: {
    client: { build: modules },
    bundle: { consumer: 'client', build: bundle },
  },
})
