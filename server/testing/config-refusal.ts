import assert from 'node:assert/strict'
import { OperatorConfigError } from '../collections/compile.ts'

/** Asserts that `compile` refuses with one line: an {@link OperatorConfigError} naming `file` first and matching `expected`. */
export function assertConfigRefused(compile: () => unknown, file: string, expected: RegExp): void {
  assert.throws(compile, (error: Error) => {
    assert.ok(error instanceof OperatorConfigError, String(error))
    assert.ok(error.message.startsWith(`${file}: `), error.message)
    assert.match(error.message, expected)
    assert.doesNotMatch(error.message, /\n/, 'one line')
    return true
  })
}
