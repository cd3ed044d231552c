import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite'
import { lazyCatalogues } from './scripts/catalogues.ts'
import { tagEntries } from './scripts/tags.ts'
import { deepstreamClientModule } from './scripts/deepstream-browser.mjs'
import { minifyCssLiterals } from './scripts/minify-css-literals.mjs'

/**
 * `vite build` produces these (one build environment each, run by `builder`):
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
 * - `dist/rtkit.de.js`, `dist/rtkit.ar.js` — the built-in catalogues besides
 *   English, which those two load from beside them when a page asks for the
 *   language (one per `components/i18n/<language>.ts`, `scripts/catalogues.ts`).
 *
 * Type declarations (`tsc -p tsconfig.build.json`), `custom-elements.json`
 * (`cem analyze`), the Lambda bundles and the server bundle come from the
 * other steps of `npm run build` (`scripts/build.ts`).
 */

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const packageVersion = (JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string }).version

/** What `@deepstream/client` resolves to in every browser build and the demo's dev server. */
const DEEPSTREAM_CLIENT = '\0deepstream-client'

/**
 * The deepstream client's package entry is CommonJS written for Node (it
 * reaches for `global`, `Buffer` and `require('ws')`), and its prebuilt
 * browser build carries much rtkit never runs. Browser builds take rtkit's
 * own build of it instead (`scripts/deepstream-browser.mjs`: no records,
 * RPCs or polyfills, no `eval`, so pages with a strict Content Security
 * Policy stay clean).
 */
const deepstreamClient: Plugin = {
  name: 'rtkit:deepstream-client',
  enforce: 'pre',
  resolveId: (id) => (id === '@deepstream/client' ? DEEPSTREAM_CLIENT : undefined),
  load: (id) => (id === DEEPSTREAM_CLIENT ? deepstreamClientModule() : undefined),
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

/**
 * The single-file builds load German and Arabic from files beside them
 * (`rtkit.de.js`, …) instead of inlining them, as they would inline the ES
 * build's dynamic imports: `components/i18n/catalogue-loaders.single-file.ts`
 * stands in for `catalogue-loaders.ts` there.
 */
const singleFileCatalogues: Plugin = {
  name: 'rtkit:single-file-catalogues',
  enforce: 'pre',
  applyToEnvironment: (environment) => environment.name === 'bundle' || environment.name === 'iife',
  resolveId: (source, importer) =>
    source === './catalogue-loaders.ts' && importer === here('./components/i18n/localize.ts')
      ? here('./components/i18n/catalogue-loaders.single-file.ts')
      : undefined,
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
  // rtkit/services: services/index.ts (what the components import) and the deepstream gateway.
  services: here('./services/package-entry.ts'),
  // rtkit/contracts: contracts/index.ts (what client code imports) and LruCache.
  contracts: here('./contracts/package-entry.ts'),
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

/** A single self-contained file (everything inlined, fully minified) in `format`, from `entry`. */
function singleFile(format: 'es' | 'iife', name: string, entry = here('./components/index.ts')): BuildEnvironmentOptions {
  return {
    outDir: here('./dist'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: { [name]: entry }, formats: [format], name: 'rtkit' },
    // Vite keeps whitespace in library output; these files are for direct
    // <script> use, so minify them fully.
    rolldownOptions: {
      output: { entryFileNames: '[name].js', codeSplitting: false, minify: true },
      // A classic script has no import.meta (catalogue-loaders.single-file.ts reads its <script> instead).
      ...(format === 'iife' ? { transform: { define: { 'import.meta.url': 'undefined' } } } : {}),
    },
  }
}

/** Where rxjs is bundled: its ES2015 build rather than its ES5 one (no tslib helpers, shorter code). */
const bundledResolve = { conditions: ['es2015', ...defaultClientConditions] }

export default defineConfig({
  plugins: [deepstreamClient, cssLiterals, singleFileCatalogues],
  // The dev server must not pre-bundle the package itself: the plugin above serves it.
  optimizeDeps: { exclude: ['@deepstream/client'] },
  define: {
    // Lit and the deepstream browser build read `process.env.NODE_ENV` in places.
    'process.env.NODE_ENV': JSON.stringify('production'),
    // Each copy of rtkit registers its version on the page (components/internal/versions.ts).
    __RTKIT_VERSION__: JSON.stringify(packageVersion),
  },
  builder: {
    async buildApp(builder) {
      const catalogues = lazyCatalogues(here('.')).map(({ language }) => `i18n_${language}`)
      for (const name of ['client', 'bundle', 'iife', ...catalogues]) await builder.build(builder.environments[name]!)
    },
  },
  environments: {
    client: { build: modules },
    bundle: { consumer: 'client', resolve: bundledResolve, build: singleFile('es', 'rtkit.bundle') },
    iife: { consumer: 'client', resolve: bundledResolve, build: singleFile('iife', 'rtkit.iife') },
    // rtkit.de.js, …: the catalogues the single-file builds load beside them.
    ...Object.fromEntries(
      lazyCatalogues(here('.')).map(({ language, name, source }) => [
        `i18n_${language}`,
        { consumer: 'client' as const, build: singleFile('es', name, source) },
      ]),
    ),
  },
})
