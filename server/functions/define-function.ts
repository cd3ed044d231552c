import type { Doc } from '../../contracts/documents.ts'
import type { RtkitUser } from '../collections/define.ts'
import type { InferOutput, StandardSchemaV1 } from '../collections/standard-schema.ts'

/**
 * An operator's own server function, as written in `rtkit.config.mjs` with
 * `defineFunction` (exported to operators as `rtkit-server/config`). Like
 * `defineCollection`, it only labels a plain object; `compile-functions.ts`
 * checks it when the server starts. The label is a `Symbol.for` key, so a
 * function made with one copy of this module is read by another.
 */

const FUNCTION = Symbol.for('rtkit.function')

/** A stored document of a collection, as a function sees it. */
export type StoredDocument = Doc & Record<string, unknown>

/**
 * One declared collection, server-side: validated, versioned and pushed live
 * exactly like an HTTP write, with the collection's rules skipped (the
 * function is the rule). Refusals throw the same errors the HTTP API answers
 * with (422 validation, 404 missing, 409 version conflict).
 */
export interface ServerCollection {
  /** Every document of one partition, in id order. */
  list(partition: string): Promise<StoredDocument[]>
  /** The document `id`, or `undefined` when there is none (or it was deleted). */
  get(id: string): Promise<StoredDocument | undefined>
  /** Creates a document; `fields` include the partition key, and `id` (a UUID) may be given. */
  insert(fields: Readonly<Record<string, unknown>> & { id?: string }): Promise<StoredDocument>
  /** Changes the fields `patch` names; at `options.expectedVersion` when given, else at the version it reads. */
  update(id: string, patch: Readonly<Record<string, unknown>>, options?: { expectedVersion?: number }): Promise<StoredDocument>
  /** Deletes the document (a tombstone keeps its version); resolves its `{ id, version }` like the HTTP API. */
  remove(id: string): Promise<{ id: string; version: number }>
}

/** What a function's logger offers: pino's levels, each line with the request id and the function's name. */
export interface FunctionLog {
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
  error(fields: object, message?: string): void
  debug(fields: object, message?: string): void
}

/** The second argument of a handler. */
export interface FunctionContext<User = RtkitUser> {
  /** The caller; with `auth: false`, `undefined` unless the request carried a valid token. */
  user: User
  log: FunctionLog
  /** Every collection the server serves, by name. */
  collections: Readonly<Record<string, ServerCollection>>
  /** The request id, also in the answer's `x-request-id` header. */
  requestId: string
}

export interface FunctionOptions<S extends StandardSchemaV1, R, A extends boolean> {
  /** The URL segment: `POST /functions/<name>`; `[a-z][a-z0-9_-]{0,63}`. */
  name: string
  /** Any Standard Schema (zod, valibot, arktype…): a body it refuses gets 422 and the handler does not run. */
  input: S
  /** `false` lets callers without a token in (default: a token is required, 401 without). */
  auth?: A
  /** `call` returns `true` to allow (403 otherwise); it runs after the input is validated. */
  rules?: { call?: (user: A extends false ? RtkitUser | undefined : RtkitUser, input: InferOutput<S>) => boolean }
  /**
   * Returns the JSON value sent as `{ "result": … }`. A thrown {@link FunctionError}
   * (or any error with `expose: true` and a 4xx `status`) answers with its status
   * and message; anything else thrown answers 500 with the request id only.
   */
  handler: (input: InferOutput<S>, ctx: FunctionContext<A extends false ? RtkitUser | undefined : RtkitUser>) => R | Promise<R>
}

/** A function as declared; the server compiles it at start. */
export type FunctionDefinition<S extends StandardSchemaV1 = StandardSchemaV1, R = unknown, A extends boolean = boolean> = Readonly<
  FunctionOptions<S, R, A>
> & { readonly [FUNCTION]: true }

/** A function of any input, for code that handles every function alike (`defineConfig`'s list). */
export type AnyFunctionDefinition = Readonly<{
  name: string
  input: StandardSchemaV1
  auth?: boolean
  /* eslint-disable @typescript-eslint/no-explicit-any -- each function has its own input, caller and result */
  rules?: { call?: (user: any, input: any) => boolean }
  handler: (input: any, ctx: any) => unknown
  /* eslint-enable @typescript-eslint/no-explicit-any */
}> & { readonly [FUNCTION]: true }

/**
 * Declares a server function, served at `POST /functions/<name>`.
 *
 * @example
 * defineFunction({
 *   name: 'close-poll',
 *   input: z.object({ poll: z.string() }),
 *   rules: { call: (user, input) => input.poll.startsWith(user.id) },
 *   handler: async (input, ctx) => ({ total: (await ctx.collections.votes.list(input.poll)).length }),
 * })
 */
export function defineFunction<const S extends StandardSchemaV1, R, const A extends boolean = true>(
  options: FunctionOptions<S, R, A>,
): FunctionDefinition<S, R, A> {
  return Object.freeze({ ...options, [FUNCTION]: true as const })
}

/** Whether `value` was made by {@link defineFunction} (any copy of it). */
export function isFunctionDefinition(value: unknown): value is AnyFunctionDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FUNCTION] === true
}

/**
 * An error a handler throws to answer with its own status (4xx) and
 * message, which the caller sees. Any error shaped like it counts: an
 * integer `status` from 400 to 499, `expose: true`, a `message`.
 *
 * @example
 * throw new FunctionError(409, 'the poll is closed already', { code: 'poll_closed' })
 */
export class FunctionError extends Error {
  override name = 'FunctionError'
  readonly expose: boolean
  /** The `error.code` sent; default the code of the status (`conflict` for 409…). */
  readonly code: string | undefined
  /** Sent as `error.details`; keep it JSON. */
  readonly details: unknown

  constructor(
    readonly status: number,
    message: string,
    options: { code?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.expose = Number.isInteger(status) && status >= 400 && status < 500
    this.code = options.code
    this.details = options.details
  }
}
