import type { Doc } from './documents.ts'

/**
 * What the client and the server both need to know about a collection,
 * without zod (the client package never loads it): its name, its partition
 * key, which fields the server stores as normalised text, and the order a
 * partition is shown in. The server's declaration of the built-ins (`server/collections/builtins.ts`)
 * agrees with it, which `server/collections/builtins.test.ts` checks.
 *
 * @example
 * export const notesCollection = describeCollection<NoteFields>({
 *   name: 'notes', partitionKey: 'page', textFields: ['body'], compare: (a, b) => a.createdAt.localeCompare(b.createdAt),
 * })
 * kit.collection(notesCollection).where({ page: 'home' }).watch() // typed, in that order
 */
export interface CollectionDescriptor<F extends object = Record<string, unknown>> {
  /** Table name, URL segment and topic prefix. */
  readonly name: string
  /** The field that splits the collection into partitions (topics), e.g. `board`. */
  readonly partitionKey: keyof F & string
  /**
   * Fields the server stores trimmed and in NFC (`visibleText`). Commands
   * normalise them the same way, so the optimistic value is the stored one
   * and a replayed update recognises its own earlier write; a test checks the
   * declaration's schema agrees.
   */
  readonly textFields: readonly (keyof F & string)[]
  /** The order a partition's documents are shown in. */
  readonly compare: (a: Doc<F>, b: Doc<F>) => number
}

/** Declares a collection's descriptor; see {@link CollectionDescriptor}. */
export function describeCollection<F extends object>(descriptor: CollectionDescriptor<F>): CollectionDescriptor<F> {
  return descriptor
}

/**
 * A descriptor of any collection, for code that handles every collection
 * alike. `any` for the same reason as `AnyCollection`: `compare` takes the
 * collection's own fields, so no narrower type accepts every descriptor.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: parameter variance of compare
export type AnyDescriptor = CollectionDescriptor<any>

/** The field type a descriptor is about. */
export type FieldsOf<D> = D extends CollectionDescriptor<infer F> ? F : never

/** Ids in plain string order: the tie-breaker every order ends with, so ties sort the same on every client. */
export function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
