import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as z from 'zod/mini'
import { ValidationError } from './errors.ts'
import { MAX_LISTED_ISSUES, validate } from './validation.ts'

/** The 422 that `validate` throws for `value`. */
function refusal(schema: z.ZodMiniType, value: unknown): ValidationError {
  try {
    validate(schema, value)
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  assert.fail('validate accepted the value')
}

describe('a 422 lists a bounded part of what failed', () => {
  it('lists the first issues and counts the rest', () => {
    const error = refusal(
      z.array(z.string()),
      Array.from({ length: 500 }, (_, i) => i),
    )
    const details = error.details as { issues: Array<{ path: string }>; omitted: number }
    assert.equal(details.issues.length, MAX_LISTED_ISSUES)
    assert.deepEqual(
      details.issues.map((issue) => issue.path),
      Array.from({ length: MAX_LISTED_ISSUES }, (_, i) => String(i)),
    )
    assert.equal(details.omitted, 500 - MAX_LISTED_ISSUES)
    assert.match(error.message, /; and 480 more$/)
    assert.ok(error.message.length < 2_000)
  })

  it('cuts a long path or message short', () => {
    const key = 'k'.repeat(10_000)
    const error = refusal(z.record(z.string(), z.string()), { [key]: 1 })
    const [issue] = (error.details as { issues: Array<{ path: string; message: string }> }).issues
    assert.ok(issue!.path.length <= 200, `a ${issue!.path.length}-character path`)
    assert.ok(error.message.length < 500)
  })

  it('lists every issue, with no count, when there are few', () => {
    const error = refusal(z.object({ a: z.string(), b: z.number() }), { a: 1, b: 'x' })
    assert.deepEqual(error.details, {
      issues: [
        { path: 'a', message: 'Invalid input: expected string, received number' },
        { path: 'b', message: 'Invalid input: expected number, received string' },
      ],
    })
  })

  it('names each unknown key at its own path, nested ones under their object', () => {
    const error = refusal(z.strictObject({ title: z.string(), options: z.strictObject({ size: z.number() }) }), {
      title: 't',
      colour: 'red',
      options: { size: 1, shade: 'dark' },
    })
    assert.deepEqual(error.details, {
      issues: [
        { path: 'options.shade', message: 'Unrecognized key' },
        { path: 'colour', message: 'Unrecognized key' },
      ],
    })
  })

  it('quotes an unknown key that is empty or holds a dot, which would otherwise read as another path', () => {
    const error = refusal(z.strictObject({}), { '': 1, 'a.b': 2, plain: 3 })
    assert.deepEqual(
      (error.details as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path),
      ['""', '"a.b"', 'plain'],
    )
  })
})
