import type { Doc, DocMeta } from '../../contracts/documents.ts'
import type { Principal } from '../../contracts/principal.ts'

/**
 * A declared collection as the server runs it: what `compile.ts` makes of an
 * operator's `defineCollection`. Migrations, the HTTP handlers, deepstream's
 * permissions, the bridge and `GET /collections` all read these, from the
 * registry (`registry.ts`); none of them names a particular collection.
 */
export interface Collection {
  /** Table name, URL segment and topic prefix. */
  readonly name: string
  /** The field that splits the collection into partitions (topics). */
  readonly partitionKey: string
  /** The declared fields, the partition key first. */
  readonly fields: readonly string[]
  /** Fields the server sets from the caller on create. */
  readonly derived: readonly string[]
  /** Text fields made with `text()`: the client normalises them as the server does. */
  readonly textFields: readonly string[]
  /** How a partition sorts, then by id. */
  readonly order: readonly string[]
  /** Secondary indexes besides the partition key. */
  readonly indexes: readonly string[]
  /** Operations without a rule: always refused. */
  readonly refused: readonly Operation[]
  /**
   * A create body checked: `id`, the partition key and every declared field,
   * nothing else. Resolves with the validated (and normalised) fields.
   *
   * @throws {ValidationError} (422)
   */
  validateCreate(body: unknown): Promise<Record<string, unknown> & { id: string }>
  /** A patch checked: only the fields it names, at least one. @throws {ValidationError} (422) */
  validatePatch(body: unknown): Promise<Record<string, unknown>>
  /** The derived fields for `user` ({} when none are declared). */
  derive(user: Principal): Record<string, unknown>
  /** Every rule, with the caller's `access` grants applied first; a missing rule refuses. */
  readonly rules: Rules
}

export type StoredDoc = Doc & Record<string, unknown>

export interface Rules {
  read(user: Principal, partition: string): boolean
  create(user: Principal, doc: Record<string, unknown>): boolean
  update(user: Principal, existing: StoredDoc, patch: Record<string, unknown>): boolean
  remove(user: Principal, existing: StoredDoc): boolean
}

export const Operation = { read: 'read', create: 'create', update: 'update', remove: 'remove' } as const
export type Operation = (typeof Operation)[keyof typeof Operation]
export const OPERATIONS: readonly Operation[] = Object.values(Operation)

/**
 * Where `patch` moves a document: the new value of its partition key, or
 * `undefined` when it stays. A move is also a create where it goes (`rules.update`).
 */
export function movedTo(partitionKey: string, existing: Record<string, unknown>, patch: Record<string, unknown>): unknown {
  const target = patch[partitionKey]
  return target !== undefined && target !== existing[partitionKey] ? target : undefined
}

/** Fields every stored document has, set by the server; an `order` or index may name them. */
export const META_FIELDS: readonly (keyof DocMeta)[] = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy']
