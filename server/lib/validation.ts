import { en } from 'zod/locales'
import * as z from 'zod/mini'
import type { FieldIssue } from '../../contracts/errors.ts'
import { clipIssueText, issuePathSegment, ValidationError } from './errors.ts'
import { firstUse } from './first-use.ts'

// zod/mini keeps bundles small and quick to load (Lambda cold starts); it
// ships without messages, so the English ones are loaded once here.
z.config(en())

/**
 * How much of a failed validation a 422 lists: the first issues, and the
 * first characters of a path or message. The rest is counted, not repeated:
 * a 64 KiB body of 5,000 unknown fields got a 108 KiB answer naming every one.
 */
export const MAX_LISTED_ISSUES = 20

/** What an unknown key's issue says; its path names the key. */
export const UNRECOGNIZED_KEY = 'Unrecognized key'

/**
 * The issues of an object's unknown keys, one per key at its own path
 * (`colour`, `options.colour`; `"a.b"` for a key holding a dot), so that a client can point at the field as
 * it does for a wrong value. zod reports them as one issue at the object's
 * path, which is empty at the top of a body.
 */
export function unrecognizedKeys(objectPath: string, keys: readonly string[]): FieldIssue[] {
  return keys.map((key) => {
    const segment = issuePathSegment(key)
    return { path: objectPath ? `${objectPath}.${segment}` : segment, message: UNRECOGNIZED_KEY }
  })
}

/** An issue as a Standard Schema validator (zod, valibot, arktype) reports it; zod's carry its `code` and, for unknown keys, the `keys`. */
export interface ReportedIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

/**
 * Field issues from a validator's `issues` (zod's own, or any Standard
 * Schema validator's), with dotted paths under `under` (a collection's field;
 * none for a body or a function's input): zod's one issue for an object's
 * unknown keys becomes one per key, as {@link unrecognizedKeys} makes them.
 * The listed ones are bounded by {@link refuseWith}.
 */
export function reportedIssues(issues: readonly ReportedIssue[], under?: string): FieldIssue[] {
  return issues.flatMap((issue) => {
    const segments = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    const path = (under === undefined ? segments : [under, ...segments]).join('.')
    const { code, keys } = issue as { code?: unknown; keys?: unknown }
    if (code === 'unrecognized_keys' && Array.isArray(keys) && keys.every((key) => typeof key === 'string'))
      return unrecognizedKeys(path, keys)
    return [{ path, message: issue.message }]
  })
}

/**
 * A query parameter holding a whole number as digits only, within `min` and
 * `max`. `Number()` alone would also take `0x1`, `1e1`, ` 1 ` and `+1`, and
 * read a repeated parameter (`limit=2&limit=3`, which arrives as `2,3`) as
 * not a number at all.
 */
export function queryInteger(min: number, max: number, error: string) {
  return z.pipe(
    z.pipe(z.string({ error }).check(z.regex(/^[0-9]{1,15}$/, error)), z.transform(Number)),
    z.number().check(z.minimum(min), z.maximum(max)),
  )
}

/**
 * A schema built on its first use instead of when its module loads. zod
 * compiles most of its own code when the first schema is built, so a Lambda
 * handler whose modules build none at import starts that much sooner, and
 * builds only the schemas its requests use.
 *
 * @example
 * const options = schemaOnFirstUse(() => z.strictObject({ limit: z.optional(z.string()) }))
 * const { limit } = validate(options(), request.query)
 */
export const schemaOnFirstUse: <S>(build: () => S) => () => S = firstUse

/**
 * Parses `value` with `schema`.
 *
 * @throws {ValidationError} (422) listing the first {@link MAX_LISTED_ISSUES}
 * issues in `details.issues`, and how many more in `details.omitted`.
 */
export function validate<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) refuseWith(reportedIssues(result.error.issues))
  return result.data as z.output<S>
}

/**
 * The 422 for `issues`, from any validator (zod here, any Standard Schema for
 * declared collections): the first {@link MAX_LISTED_ISSUES}, each path and
 * message bounded, and how many more in `details.omitted`.
 */
export function refuseWith(issues: readonly FieldIssue[]): never {
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => ({ path: clipIssueText(issue.path), message: clipIssueText(issue.message) }))
  throw new ValidationError(listed, Math.max(0, issues.length - MAX_LISTED_ISSUES))
}
