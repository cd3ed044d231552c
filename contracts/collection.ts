import * as z from 'zod/mini'
import type { CollectionDescriptor } from './descriptor.ts'
import type { DocMeta } from './documents.ts'
import { AccessLevel, accessAllows } from './access.ts'
import type { Principal } from './principal.ts'

/**
 * The access rules of a collection. Each returns `true` to allow. The server
 * checks them on every HTTP route, and deepstream checks `read` when a client
 * subscribes to `<collection>/<partition>`.
 */
export interface CollectionRules<F> {
  read(user: Principal, partition: string): boolean
  create(user: Principal, doc: F): boolean
  update(user: Principal, existing: F & DocMeta, patch: Partial<F>): boolean
  remove(user: Principal, existing: F & DocMeta): boolean
}

/**
 * Everything the server needs to know about a collection: its descriptor
 * (the part the client shares) plus validation, indexes and rules.
 */
export interface CollectionDeclaration<F extends object = Record<string, unknown>> extends CollectionDescriptor<F> {
  /** Body of `POST /collections/:name`: `id` plus the fields a client sets. */
  readonly create: z.ZodMiniType<{ id: string } & Partial<F>>
  /** Body of `PATCH /collections/:name/:id`, without `expectedVersion`. */
  readonly patch: z.ZodMiniType<Partial<F>>
  /** Fields the server derives from the caller on insert; they override the body. */
  readonly derive?: (user: Principal) => Partial<F>
  /** Secondary indexes besides the partition key. */
  readonly indexes: readonly string[]
  readonly rules: CollectionRules<F>
}

/**
 * A declaration of any collection, for code that handles every collection
 * alike (migrations, generic handlers, the bridge). The field type is erased
 * on purpose: a declaration's rules take its own fields as parameters, so a
 * `CollectionDeclaration<TaskFields>` is not assignable to one over `unknown`
 * fields, and `any` is the only type argument both ways compatible.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: parameter variance of the rules
export type AnyCollection = CollectionDeclaration<any>

/**
 * Partition values are used in topic names and URLs, so they are kept plain.
 * 128 characters leave room for a direct-message room of two UUIDs
 * (`dm:<uuid>:<uuid>`, 76 characters).
 */
export const partitionValue = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1–128 letters, digits, or _ . : - (starting with a letter or digit)'))

/** Client-generated document id. */
export const documentId = z.uuid('must be a UUID')

/**
 * Declares a collection. The partition key always gets a secondary index.
 *
 * @example
 * export const notes = defineCollection<NoteFields>({
 *   ...notesCollection, indexes: [],
 *   create: z.strictObject({ id: documentId, page: partitionValue, body: z.string() }),
 *   patch: z.strictObject({ body: z.string() }).partial(),
 *   rules: { read: () => true, create: () => true, update: () => true, remove: () => true },
 * })
 */
export function defineCollection<F extends object>(declaration: CollectionDeclaration<F>): CollectionDeclaration<F> {
  return { ...declaration, rules: withAccess(declaration.name, declaration.partitionKey, declaration.rules) }
}

/**
 * The declared rules with the caller's `access` claim applied first (see
 * `contracts/access.ts`): reading needs a read grant on the partition,
 * creating, changing and deleting a write grant on the document's partition
 * (and on the new one, for a move). Every place that asks a declaration's
 * rules — the HTTP handlers and deepstream's permissions — gets both.
 */
function withAccess<F extends object>(name: string, partitionKey: keyof F & string, rules: CollectionRules<F>): CollectionRules<F> {
  const partitionOf = (doc: Partial<F>) => doc[partitionKey] as unknown
  const writable = (user: Principal, partition: unknown) =>
    typeof partition === 'string' && accessAllows(user.access, name, partition, AccessLevel.write)
  return {
    read: (user, partition) => accessAllows(user.access, name, partition, AccessLevel.read) && rules.read(user, partition),
    create: (user, doc) => writable(user, partitionOf(doc)) && rules.create(user, doc),
    update: (user, existing, patch) =>
      writable(user, partitionOf(existing)) &&
      (partitionOf(patch) === undefined || writable(user, partitionOf(patch))) &&
      rules.update(user, existing, patch),
    remove: (user, existing) => writable(user, partitionOf(existing)) && rules.remove(user, existing),
  }
}
