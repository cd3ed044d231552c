import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formErrorsOf } from './field-errors.ts'

const fields = ['username', 'password', 'name']

describe('formErrorsOf', () => {
  it('puts 422 issues next to their field, and others on the form', () => {
    const error = {
      status: 422,
      message: 'invalid',
      details: {
        issues: [
          { path: ['password'], message: 'at least 8 characters' },
          { path: 'username', message: 'letters only' },
          { path: ['password'], message: 'second issue on the same field' },
          { path: ['extra'], message: 'not allowed' },
        ],
      },
    }
    assert.deepEqual(formErrorsOf(error, fields), {
      fields: { password: 'at least 8 characters', username: 'letters only' },
      form: 'extra: not allowed',
    })
  })

  it('shows a taken username (409) on the username field, or on the form when there is none', () => {
    assert.deepEqual(formErrorsOf({ status: 409, message: 'taken' }, fields), { fields: { username: 'taken' }, form: undefined })
    assert.deepEqual(formErrorsOf({ code: 'conflict', message: 'taken' }, ['email']), { fields: {}, form: 'taken' })
  })

  it('reads 401, network failures and anything else as a message about the form', () => {
    assert.equal(formErrorsOf({ status: 401, message: 'wrong password' }, fields).form, 'wrong password')
    assert.equal(
      formErrorsOf({ code: 'timeout', message: 'took too long' }, fields).form,
      'The server could not be reached (took too long).',
    )
    assert.equal(formErrorsOf(new Error('boom'), fields).form, 'boom')
    assert.equal(formErrorsOf(undefined, fields).form, 'Something went wrong. Please try again.')
  })

  it('falls back to the message for a 422 without issues', () => {
    assert.deepEqual(formErrorsOf({ status: 422, message: 'invalid' }, fields), { fields: {}, form: 'invalid' })
  })
})
