import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as z from 'zod/mini'
import { visibleText } from '../../contracts/text.ts'
import { serverNormalForm } from './server-normal-form.ts'

// The optimistic value a command shows is the value the server stores.

describe('serverNormalForm', () => {
  it('gives every text field what the server’s visibleText stores', () => {
    const title = visibleText({ max: 200 })
    for (const raw of ['  Ship it ', 'Cafe\u0301', '\u3000wide space\u3000', 'a\u0308\u0323', ' ⠓⠑⠇⠇⠕ ']) {
      assert.equal(serverNormalForm('tasks', { title: raw }).title, z.parse(title, raw), JSON.stringify(raw))
    }
  })

  it('returns the same object when nothing changes', () => {
    const fields = { title: 'Ship it' }
    assert.equal(serverNormalForm('tasks', fields), fields)
  })
})
