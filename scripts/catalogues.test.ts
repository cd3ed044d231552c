import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { catalogueLoaders } from '../components/i18n/catalogue-loaders.ts'
import { catalogueLoaders as singleFileLoaders, SINGLE_FILE_LANGUAGES } from '../components/i18n/catalogue-loaders.single-file.ts'
import { lazyCatalogues } from './catalogues.ts'

const root = new URL('..', import.meta.url).pathname

describe('the built-in catalogues besides English', () => {
  const languages = lazyCatalogues(root).map(({ language }) => language)

  it('are the language files of components/i18n', () => {
    assert.deepEqual(languages, ['ar', 'de'])
  })

  it('are what the ES build loads on demand and what the single-file builds find beside them', () => {
    assert.deepEqual([...catalogueLoaders.keys()].sort(), languages)
    assert.deepEqual([...SINGLE_FILE_LANGUAGES].sort(), languages)
    assert.deepEqual([...singleFileLoaders.keys()].sort(), languages)
  })

  it('each export the catalogue under their language code, which the single-file builds read', async () => {
    for (const { language, source } of lazyCatalogues(root)) {
      const module = (await import(source)) as Record<string, { $code: string }>
      assert.equal(module[language]?.$code, language)
    }
  })
})
