import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as z from 'zod/mini'
import { MAX_COMBINING_MARKS, safeDisplayName, visibleText } from './text.ts'

// What the visible-text schema refuses, one protection at a time: each case
// passes every check but the one it is named after.

const name = visibleText({ max: 64 })
const message = visibleText({ max: 2000, multiline: true })
const mark = '\u0334' // COMBINING TILDE OVERLAY: no precomposed form, so NFC keeps every one

function refusal(schema: typeof name, text: string): string | undefined {
  const result = z.safeParse(schema, text)
  return result.success ? undefined : result.error.issues[0]?.message
}

describe('visibleText', () => {
  const invisible: Array<[string, string]> = [
    ['a Hangul filler (U+3164)', '\u3164'],
    ['two braille blanks (U+2800)', '\u2800\u2800'],
    ['a halfwidth Hangul filler (U+FFA0)', '\uFFA0'],
    ['a combining grapheme joiner (U+034F)', '\u034F'],
    ['the Hangul choseong and jungseong fillers (U+115F, U+1160)', '\u115F\u1160'],
    ['a private-use character (U+E000)', '\uE000'],
    ['only combining marks', '\u0301\u0302\u0303'],
  ]
  for (const [what, text] of invisible) {
    it(`refuses a name that is only ${what}`, () => {
      assert.ok(refusal(name, text), `accepted ${JSON.stringify(text)}`)
    })
  }

  it('refuses default-ignorable characters inside visible text, so "Alice\\u3164" cannot pose as "Alice"', () => {
    for (const hidden of ['\u3164', '\uFFA0', '\u034F', '\u115F']) {
      assert.equal(refusal(name, `Ali${hidden}ce`), 'must not contain invisible characters', JSON.stringify(hidden))
    }
  })

  it('refuses a private-use character through the visible-character check alone', () => {
    // U+E000 is neither control, format nor default-ignorable: only this check stops it.
    assert.equal(refusal(name, '\uE000'), 'must contain a visible character')
    assert.equal(refusal(message, '\uE000\n\uE000'), 'must contain a visible character')
  })

  it(`accepts ${MAX_COMBINING_MARKS} combining marks on one character and refuses one more`, () => {
    assert.equal(refusal(name, 'a' + '\u0308\u0323\u0331\u0330\u0334'.slice(0, MAX_COMBINING_MARKS)), undefined)
    assert.match(refusal(name, 'a' + mark.repeat(MAX_COMBINING_MARKS + 1)) ?? '', /combining marks/)
    assert.match(refusal(visibleText({ max: 200 }), 'a' + mark.repeat(199)) ?? '', /combining marks/, 'a title of 200 characters')
  })

  it('keeps real text with marks, variation selectors and braille', () => {
    for (const text of ['Café', 'בְּרֵאשִׁ֖ית', 'བསྒྲུབས', 'हिन्दी', 'I ❤️ it', '⠓⠑⠇⠇⠕ world', 'Nguyễn']) {
      assert.equal(refusal(name, text), undefined, text)
    }
  })

  it('refuses control and format characters in messages but keeps a line feed', () => {
    assert.match(refusal(message, 'ding\u0007') ?? '', /control or format/)
    assert.match(refusal(message, 'Pay \u202Eexcel.exe') ?? '', /control or format/)
    assert.equal(refusal(message, 'line one\nline two'), undefined)
  })

  it('refuses half a surrogate pair and keeps a whole one', () => {
    for (const text of ['a\uD800b', 'x\uDC00', '\uD83D']) assert.match(refusal(name, text) ?? '', /valid Unicode/, JSON.stringify(text))
    assert.equal(refusal(name, 'rocket \uD83D\uDE80'), undefined)
  })
})

describe('safeDisplayName', () => {
  it('drops half a surrogate pair', () => {
    assert.equal(safeDisplayName('Ann\uD800e', 'sub-1'), 'Anne')
  })

  it('falls back to the subject for a name that shows nothing', () => {
    for (const raw of ['\u3164', '\u2800\u2800', '\uFFA0', '\u034F', '\u0301\u0301']) assert.equal(safeDisplayName(raw, 'sub-1'), 'sub-1')
  })

  it('removes default-ignorable characters and marks beyond the bound', () => {
    assert.equal(safeDisplayName('Ali\u3164ce', 's'), 'Alice')
    assert.equal(safeDisplayName('a' + mark.repeat(50), 's'), 'a' + mark.repeat(MAX_COMBINING_MARKS))
  })
})
