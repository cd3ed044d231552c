import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ar } from './ar.ts'
import { de } from './de.ts'
import { en } from './en.ts'
import { plural } from './plural.ts'

describe('plural()', () => {
  it('picks the form Intl.PluralRules names for the language, and formats the count in it', () => {
    assert.equal(plural('en', 1, { one: '# task', other: '# tasks' }), '1 task')
    assert.equal(plural('en', 1200, { one: '# task', other: '# tasks' }), '1,200 tasks')
    assert.equal(plural('de', 1200, { one: '# Aufgabe', other: '# Aufgaben' }), '1.200 Aufgaben')
  })

  it('falls back to `other` for a category the forms leave out', () => {
    assert.equal(plural('en', 1, { other: '# online' }), '1 online')
  })

  it('gives Arabic its six categories', () => {
    const forms = [0, 1, 2, 3, 11, 100].map((count) => ar.taskCount(count))
    assert.deepEqual(forms.slice(0, 3), ['لا مهام', 'مهمة واحدة', 'مهمتان'])
    assert.equal(new Set(forms).size, 6)
  })
})

describe('the built-in catalogues', () => {
  it('German and Arabic have every key English has, of the same kind', () => {
    for (const catalogue of [de, ar])
      for (const [key, value] of Object.entries(en))
        assert.equal(typeof catalogue[key as keyof typeof en], typeof value, `${catalogue.$code}.${key}`)
  })
})
