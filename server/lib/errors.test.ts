import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ErrorCode } from '../../contracts/errors.ts'
import { HttpError, NotFoundError, ServiceUnavailableError, TooManyRequestsError } from './errors.ts'

describe('HttpError', () => {
  it('an error told to the client is an answer: it carries no stack frames', () => {
    for (const error of [
      new TooManyRequestsError('slow down', 1),
      new NotFoundError('no such task'),
      new ServiceUnavailableError('down'),
    ]) {
      assert.equal(error.expose, true)
      assert.doesNotMatch(error.stack ?? '', /\n\s+at /, `${error.name} has no frames`)
    }
  })

  it('an internal error keeps its stack for the log, and the limit is put back', () => {
    const limit = Error.stackTraceLimit
    const error = new HttpError(ErrorCode.internal, 'broken')
    assert.equal(error.expose, false)
    assert.match(error.stack ?? '', /\n\s+at /)
    assert.equal(Error.stackTraceLimit, limit)
    assert.match(new Error('plain').stack ?? '', /\n\s+at /)
  })

  it('puts the limit back even when making the error throws', () => {
    const limit = Error.stackTraceLimit
    const options = {
      get cause(): unknown {
        throw new RangeError('a cause that cannot be read')
      },
    }
    assert.throws(() => new HttpError(ErrorCode.notFound, 'gone', undefined, options), RangeError)
    assert.equal(Error.stackTraceLimit, limit)
  })
})
