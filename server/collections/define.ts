import type { DocMeta } from '../../contracts/documents.ts'
import type { Principal } from '../../contracts/principal.ts'
import * as z from 'zod/mini'
import { visibleText } from '../../contracts/text.ts'
import type { AnyFunctionDefinition } from '../functions/define-function.ts'
import type { InferOutput, StandardSchemaV1 } from './standard-schema.ts'

/**
 * What an operator writes in `rtkit.config.mjs`: `defineConfig`,
 * `defineCollection` and the field helper `text`, exported to operators as
 * `rtkit-server/config`. These only label plain objects; `compile.ts` checks
 * them, with the config file's name in every message, when the server starts.
 * The labels are `Symbol.for` keys, so a config made with one copy of this
 * module (the package's `config` entry) is read by another (the server bundle).
 */

const COLLECTION = Symbol.for('rtkit.collection')
const CONFIG = Symbol.for('rtkit.config')
const TEXT = Symbol.for('rtkit.text')

/** The caller, as every rule and `derive` sees it: `id`, `username`, `name`, `role`, and the host token's `access`. */
export type RtkitUser = Principal

/** Field validators by field name: any Standard Schema (zod, valibot, arktype…). */
export type FieldSchemas = Readonly<Record<string, StandardSchemaV1>>

type OptionalKeys<S extends FieldSchemas> = {
  [K in keyof S]: undefined extends InferOutput<S[K]> ? K : never
}[keyof S]
/** The fields a validated body holds: optional where the schema accepts `undefined`. */
export type FieldsOf<S extends FieldSchemas> = {
  -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: InferOutput<S[K]>
} & { -readonly [K in OptionalKeys<S>]?: InferOutput<S[K]> }

/** A document of the collection as rules see it: partition key, fields, derived fields. */
export type DocOf<S extends FieldSchemas, P extends string, D> = { [K in P]: string } & FieldsOf<S> & D

/**
 * Who may do what. Each rule returns `true` to allow. A missing rule refuses
 * that operation (403), and start-up says which. A host token's `access`
 * grants are checked first.
 */
export interface CollectionRules<Doc> {
  read?: (user: RtkitUser, partition: string) => boolean
  create?: (user: RtkitUser, doc: Doc) => boolean
  update?: (user: RtkitUser, existing: Doc & DocMeta, patch: Partial<Doc>) => boolean
  remove?: (user: RtkitUser, existing: Doc & DocMeta) => boolean
}

export interface CollectionOptions<S extends FieldSchemas, P extends string, D> {
  /** Table name, URL segment and topic prefix: `[a-z][a-z0-9_-]{0,63}`. */
  name: string
  /** The field that splits the collection into partitions (topics). Always validated as a partition value; a schema for it in `fields` adds checks. */
  partitionKey: P
  fields: S
  /** Fields the server sets from the caller on create (a message's author); a body carrying one gets 422. */
  derive?: (user: RtkitUser) => D
  /** How a partition sorts (then by id): field names, including `createdAt`, `updatedAt` and derived fields. */
  order?: readonly string[]
  /** Secondary indexes besides the partition key. */
  indexes?: readonly string[]
  rules: CollectionRules<DocOf<S, P, D>>
}

/** A collection as declared; the server compiles it at start. */
export type CollectionDefinition<S extends FieldSchemas = FieldSchemas, P extends string = string, D = object> = Readonly<
  CollectionOptions<S, P, D>
> & { readonly [COLLECTION]: true }

/** A collection of any fields, for code that handles every collection alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rules take each collection's own document type
export type AnyCollectionDefinition = CollectionDefinition<any, string, any>

/**
 * Declares a collection.
 *
 * The return type is `NoInfer`: written inside `defineConfig({ collections: [...] })`,
 * as a config file does, TypeScript would otherwise infer the type parameters
 * from that list's type too (any collection), and a collection without
 * `derive` got `any` for its rules' documents.
 *
 * @example
 * export const votes = defineCollection({
 *   name: 'votes',
 *   partitionKey: 'poll',
 *   fields: { choice: z.enum(['red', 'green', 'blue']) },
 *   derive: (user) => ({ voter: user.id }),
 *   order: ['choice'],
 *   rules: { read: () => true, create: () => true, update: (user, existing) => existing.voter === user.id },
 * })
 */
export function defineCollection<const S extends FieldSchemas, const P extends string, D extends object = object>(
  options: CollectionOptions<S, P, D>,
): NoInfer<CollectionDefinition<S, P, D>> {
  // Copied with its accessors, so `fields` may be a getter that builds its schemas when first read (the built-ins' is).
  const definition = Object.defineProperties({}, Object.getOwnPropertyDescriptors(options)) as CollectionOptions<S, P, D>
  return Object.freeze(Object.assign(definition, { [COLLECTION]: true as const }))
}

/** Whether `value` was made by {@link defineCollection} (any copy of it). */
export function isCollectionDefinition(value: unknown): value is AnyCollectionDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[COLLECTION] === true
}

/** What a config module's default export holds. */
export interface ConfigOptions {
  collections?: readonly AnyCollectionDefinition[]
  /** Server functions, `POST /functions/<name>`: see `defineFunction`. */
  functions?: readonly AnyFunctionDefinition[]
}

export type RtkitConfig = Readonly<Required<ConfigOptions>> & { readonly [CONFIG]: true }

/**
 * The default export of `rtkit.config.mjs`.
 *
 * @example
 * import { defineConfig, tasks } from 'rtkit-server/config'
 * export default defineConfig({ collections: [tasks, votes], functions: [closePoll] })
 */
export function defineConfig(options: ConfigOptions): RtkitConfig {
  // Copied whole, as defineCollection copies its options: compileConfig names a misspelt key (`functons`).
  return Object.freeze({ ...options, collections: options.collections ?? [], functions: options.functions ?? [], [CONFIG]: true as const })
}

/** What `defineConfig` and `defineCollection` take: compileConfig refuses anything else, a misspelling left out without a word otherwise. */
export const CONFIG_OPTIONS: readonly string[] = ['collections', 'functions'] satisfies (keyof ConfigOptions)[]
export const COLLECTION_OPTIONS: readonly string[] = [
  'name',
  'partitionKey',
  'fields',
  'derive',
  'order',
  'indexes',
  'rules',
] satisfies (keyof CollectionOptions<FieldSchemas, string, object>)[]

/** Whether `value` was made by {@link defineConfig} (any copy of it). */
export function isConfig(value: unknown): value is RtkitConfig {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CONFIG] === true
}

/**
 * A text field as the built-ins keep theirs: trimmed, NFC, no control or
 * format characters (line breaks allowed with `multiline`), at least one
 * visible character, at most `max` characters. The client applies the same
 * normal form to its optimistic copy, so the two agree before the server answers.
 *
 * `optional: true` accepts a missing field (wrap it in no other library's
 * optional: rtkit would no longer see that the field is text).
 *
 * @example
 * fields: { body: text({ max: 2000, multiline: true }), subtitle: text({ max: 80, optional: true }) }
 */
export function text(options: { max: number; multiline?: boolean }): StandardSchemaV1<string, string>
export function text(options: {
  max: number
  multiline?: boolean
  optional: true
}): StandardSchemaV1<string | undefined, string | undefined>
export function text(options: { max: number; multiline?: boolean; optional?: boolean }): StandardSchemaV1 {
  const required = visibleText(options)
  // Optional here rather than by a library's own wrapper, which would hide the text label.
  const schema = options.optional ? z.optional(required) : required
  Object.defineProperty(schema, TEXT, { value: { max: options.max, multiline: options.multiline ?? false } })
  return schema as unknown as StandardSchemaV1
}

/** The options of a schema made by {@link text}, or `undefined`. */
export function textOptions(schema: unknown): { max: number; multiline: boolean } | undefined {
  return typeof schema === 'object' && schema !== null ? ((schema as Record<symbol, unknown>)[TEXT] as never) : undefined
}
