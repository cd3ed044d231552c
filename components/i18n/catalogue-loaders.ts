import type { RtTranslation } from './translation.ts'

/**
 * The built-in catalogues besides English, by language subtag: each a
 * dynamic import, so a bundler gives each language a chunk of its own that
 * a page fetches only when a `lang` asks for it. The single-file builds
 * (`rtkit.bundle.js`, `rtkit.iife.js`) cannot have chunks and would inline
 * them; they take `catalogue-loaders.single-file.ts` instead (vite.config.ts).
 */
export const catalogueLoaders: ReadonlyMap<string, () => Promise<RtTranslation>> = new Map([
  ['de', () => import('./de.ts').then((module) => module.de)],
  ['ar', () => import('./ar.ts').then((module) => module.ar)],
])
