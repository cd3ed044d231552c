import { partitionValue } from '../../contracts/collection.ts'
import type { Principal } from '../../contracts/principal.ts'
import { MAX_PAGE_SIZE } from '../../contracts/routes.ts'
import type { Collection } from '../collections/collection.ts'
import { servedCollections } from '../collections/registry.ts'
import { getDocument, insertDocument, listDocuments, newDocument, removeDocument, updateDocument } from '../db/documents.ts'
import { ConflictError, NotFoundError } from '../lib/errors.ts'
import { validate } from '../lib/validation.ts'
import type { ServerCollection, StoredDocument } from './define-function.ts'

/**
 * `ctx.collections` of a function: the declared collections, written through
 * the same data access as the HTTP handlers (`server/db/documents.ts`) with
 * the same validation, derived fields, versions and tombstones, so the
 * bridge pushes the changes live like any other write. Only the rules are
 * skipped: the function decided who may call it.
 */

/** How often a write without an expected version re-reads after a concurrent change. */
const ATTEMPTS = 3

function collectionApi(declaration: Collection, user: Principal | undefined, functionName: string): ServerCollection {
  const { name } = declaration
  const author = user?.id ?? `function:${functionName}`
  return {
    async list(partition) {
      const value = validate(partitionValue(), partition)
      const items: StoredDocument[] = []
      let cursor: string | undefined
      do {
        const page = await listDocuments(declaration, value, { limit: MAX_PAGE_SIZE, cursor })
        items.push(...(page.items as StoredDocument[]))
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      return items
    },
    async get(id) {
      return (await getDocument(declaration, String(id))) as StoredDocument | undefined
    },
    async insert({ id = crypto.randomUUID(), ...rest }) {
      const input = await declaration.validateCreate({ ...rest, id })
      if (declaration.derived.length > 0 && !user) {
        throw new Error(`${name} derives ${declaration.derived.join(', ')} from the caller, and function ${functionName} has none`)
      }
      const fields = { ...input, ...(user ? declaration.derive(user) : {}) }
      const result = await insertDocument(declaration, newDocument(fields, author, new Date().toISOString()))
      if (result.status === 'created') return result.doc as StoredDocument
      throw new ConflictError(`${name}/${input.id} ${result.status === 'deleted' ? 'was deleted' : 'already exists'}`)
    },
    async update(id, patch, options = {}) {
      const changes = await declaration.validatePatch(patch)
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const existing = await getDocument(declaration, id)
        if (!existing) throw new NotFoundError(`${name}/${id} does not exist`)
        const expected = options.expectedVersion ?? existing.version
        if (existing.version !== expected) throw new ConflictError(`version ${expected} expected, found ${existing.version}`, existing)
        const outcome = await updateDocument(declaration, id, expected, changes, new Date().toISOString())
        if (outcome.status === 'ok') return outcome.doc as StoredDocument
        if (outcome.status === 'missing') throw new NotFoundError(`${name}/${id} does not exist`)
        if (options.expectedVersion !== undefined) {
          throw new ConflictError(`version ${expected} expected, found ${outcome.current.version}`, outcome.current)
        }
      }
      throw new ConflictError(`${name}/${id} kept changing; try again`)
    },
    async remove(id) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const existing = await getDocument(declaration, id)
        if (!existing) throw new NotFoundError(`${name}/${id} does not exist`)
        const outcome = await removeDocument(declaration, existing, existing.version, author)
        if (outcome.status === 'ok') return { id, version: outcome.doc.version + 1 }
        if (outcome.status === 'missing') throw new NotFoundError(`${name}/${id} does not exist`)
      }
      throw new ConflictError(`${name}/${id} kept changing; try again`)
    },
  }
}

/** Every served collection, for one call of `functionName` by `user`. */
export function serverCollections(user: Principal | undefined, functionName: string): Readonly<Record<string, ServerCollection>> {
  return Object.freeze(
    Object.fromEntries(servedCollections().map((declaration) => [declaration.name, collectionApi(declaration, user, functionName)])),
  )
}
