import type { z } from 'zod'
import type { FieldIssue } from '../../contracts/errors.ts'
import { ValidationError } from './errors.ts'

/** Field issues from a zod error, with dotted paths. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

/**
 * Parses `value` with `schema`.
 *
 * @throws {ValidationError} (422) listing every field that failed.
 */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new ValidationError(fieldIssues(result.error))
  return result.data
}
