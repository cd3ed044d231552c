import { en } from 'zod/locales'
import * as z from 'zod/mini'
import type { FieldIssue } from '../../contracts/errors.ts'
import { ValidationError } from './errors.ts'

// zod/mini keeps bundles small and quick to load (Lambda cold starts); it
// ships without messages, so the English ones are loaded once here.
z.config(en())

/** Field issues from a zod error, with dotted paths. */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

/**
 * Parses `value` with `schema`.
 *
 * @throws {ValidationError} (422) listing every field that failed.
 */
export function validate<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw new ValidationError(fieldIssues(result.error))
  return result.data as z.output<S>
}
