import type { RtTranslation } from './translation.ts'

/**
 * `catalogue-loaders.ts` for the single-file builds. A single file cannot
 * have chunks, so German and Arabic are files of their own beside it,
 * `rtkit.de.js` and `rtkit.ar.js` (ES modules exporting the catalogue under
 * its language code), fetched with `import()` the first time a `lang` asks
 * for one: a page in English loads neither. They are found next to the
 * script rtkit was loaded from: its `<script>` element's `src` for the
 * classic script (read now, while it runs), `import.meta.url` for the ES
 * module. A page that serves the bundle without them stays English in that
 * language, or registers the catalogue itself:
 * `import('/assets/rtkit.de.js').then((module) => rtkit.registerTranslation(module.de))`.
 */
const script = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null)
const base = script?.src || import.meta.url

/** The languages that have a file beside the single-file builds (vite.config.ts builds one per language). */
export const SINGLE_FILE_LANGUAGES = ['de', 'ar']

export const catalogueLoaders: ReadonlyMap<string, () => Promise<RtTranslation>> = new Map(
  SINGLE_FILE_LANGUAGES.map((language) => [
    language,
    () =>
      import(/* @vite-ignore */ new URL(`rtkit.${language}.js`, base).href).then(
        // Another file at that address (a site's own) is a failed load: English stays, as when it is missing.
        (module: Record<string, RtTranslation | undefined>) =>
          module[language] ?? Promise.reject(new Error(`rtkit.${language}.js does not export "${language}"`)),
      ),
  ]),
)
