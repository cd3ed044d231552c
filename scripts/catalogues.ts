import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/** A built-in catalogue that is loaded on first use, as the build sees it. */
export interface CatalogueEntry {
  /** Language subtag, e.g. `de`. */
  language: string
  /** `components/i18n/<language>.ts`: exports the catalogue under the language code. */
  source: string
  /** Its file beside the single-file builds, e.g. `rtkit.de` (`dist/rtkit.de.js`). */
  name: string
}

/**
 * The built-in languages besides English, derived from the folder: a file
 * of `components/i18n/` named by a language subtag (`de.ts`, `ar.ts`).
 * English is in every build; these get a chunk of their own in the ES
 * build and a file of their own beside the single-file builds.
 * `components/i18n/catalogue-loaders*.ts` list the same languages, which
 * `catalogues.test.ts` checks.
 */
export function lazyCatalogues(root: string): CatalogueEntry[] {
  const folder = join(root, 'components', 'i18n')
  return readdirSync(folder)
    .map((file) => /^([a-z]{2,3})\.ts$/.exec(file)?.[1])
    .filter((language): language is string => language !== undefined && language !== 'en')
    .sort()
    .map((language) => ({ language, source: join(folder, `${language}.ts`), name: `rtkit.${language}` }))
}
