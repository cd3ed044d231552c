import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite'
import { tagEntries } from './scripts/tags.ts'
import { deepstreamBrowserBuild, withoutEval } from './scripts/deepstream-browser.mjs'
import { minifyCssLiterals } from './scripts/minify-css-literals.mjs'

/**
 * `vite build` produces three things (three build environments, run by `builder`):
 *
 * - `dist/` — ES modules for bundlers and import maps: one entry per tag
 *   (`rt-chat.js`, …, derived from the component folders), `configure.js`,
 *   `define.js` (`defineTags({ prefix })`, side-effect free), `element.js`
 *   (`KitElement` and the parts of a tag of your own, side-effect free),
 *   the all-in-one `index.js`, plus `services.js`, `contracts.js` and
 *   `react.js` (the `@lit/react` wrappers). lit, @lit/*,
 *   @lit-labs/virtualizer, rxjs and react stay external (the app's bundler
 *   dedupes them, and they are the client package's dependencies); shared
 *   code, the deepstream client included, lands in `dist/chunks/`.
 * - `dist/rtkit.bundle.js` — one self-contained ES module with everything
 *   inlined, for `<script type="module" src=".../rtkit.bundle.js">`.
 * - `dist/rtkit.iife.js` — the same as a classic script (no `type="module"`),
 *   for tag managers and CMSs that inject plain scripts.
 *
 * Type declarations (`tsc -p tsconfig.build.json`), `custom-elements.json`
 * (`cem analyze`), the Lambda bundles and the server bundle come from the
 * other steps of `npm run build` (`scripts/build.ts`).
 */

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const packageVersion = (JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string }).version

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

/** Lit `css` templates without their comments and indentation (a tenth of the components' own bytes). */
const cssLiterals: Plugin = {
  name: 'rtkit:minify-css-literals',
  apply: 'build',
  transform(code, id) {
    return id.startsWith(here('./components/')) && id.endsWith('.ts') && code.includes('css`')
      ? { code: minifyCssLiterals(code), map: null }
      : undefined
  },
}

/** Public entries of `dist/`, by output name. */
export const entries: Record<string, string> = {
  index: here('./components/index.ts'),
  configure: here('./components/configure.ts'),
  // rtkit/define: defineTags({ prefix }); registers nothing when imported.
  define: here('./components/define.ts'),
  // rtkit/element: KitElement and the parts of a tag of your own; registers nothing when imported.
  element: here('./components/element.ts'),
  ...Object.fromEntries(tagEntries(here('.')).map(({ tag, source }) => [tag, source])),
  services: here('./services/index.ts'),
  contracts: here('./contracts/index.ts'),
  // rtkit/react: @lit/react wrappers; the only entry that imports React.
  react: here('./components/react/index.ts'),
}

/**
 * Packages a consuming app provides (the client package's dependencies, and
 * React, its optional peer): never inlined into `dist/*.js`.
 */
const external = /^(lit|lit-html|lit-element|@lit\/context|@lit\/react|@lit-labs\/virtualizer|rxjs|react)(\/.*)?$/

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

/** A single self-contained file (everything inlined, fully minified) in `format`. */
function singleFile(format: 'es' | 'iife', name: string): BuildEnvironmentOptions {
  return {
    outDir: here('./dist'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: { [name]: here('./components/index.ts') }, formats: [format], name: 'rtkit' },
    // Vite keeps whitespace in library output; these files are for direct
    // <script> use, so minify them fully.
    rolldownOptions: { output: { entryFileNames: '[name].js', codeSplitting: false, minify: true } },
  }
}

/** Where rxjs is bundled: its ES2015 build rather than its ES5 one (no tslib helpers, shorter code). */
const bundledResolve = { conditions: ['es2015', ...defaultClientConditions] }

export default defineConfig({
  resolve: { alias: browserAliases },
  plugins: [deepstreamWithoutEval, cssLiterals],
  define: {
    // Lit and the deepstream browser build read `process.env.NODE_ENV` in places.
    'process.env.NODE_ENV': JSON.stringify('production'),
    // Each copy of rtkit registers its version on the page (components/internal/versions.ts).
    __RTKIT_VERSION__: JSON.stringify(packageVersion),
  },
  builder: {
    async buildApp(builder) {
      for (const name of ['client', 'bundle', 'iife']) await builder.build(builder.environments[name]!)
    },
  },
  environments: {
    client: { build: modules },
    bundle: { consumer: 'client', resolve: bundledResolve, build: singleFile('es', 'rtkit.bundle') },
    iife: { consumer: 'client', resolve: bundledResolve, build: singleFile('iife', 'rtkit.iife') },
  },
})
