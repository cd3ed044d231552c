import * as z from 'zod/mini'
import { movedTo } from '../collections/collection.ts'
import { getDocument, updateDocument } from '../db/documents.ts'
import { collectionOf, documentIdOf } from '../lib/collection-route.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'
import { schemaOnFirstUse, validate } from '../lib/validation.ts'

const versioned = schemaOnFirstUse(() => z.looseObject({ expectedVersion: z.int().check(z.minimum(1)) }))
/** PATCH takes nothing in its query: `expectedVersion` there (as DELETE takes it) would be a write the client thinks conditional. */
const noQuery = schemaOnFirstUse(() => z.strictObject({}))

/**
 * `PATCH /collections/:name/:id` with `{ expectedVersion, …fields }` → 200
 * with the updated document; 409 with `details.current` when the version is stale.
 */
export const handler = route({ auth: true }, async (request) => {
  const declaration = collectionOf(request)
  const id = documentIdOf(request)
  const { user } = request
  validate(noQuery(), request.query)
  const { expectedVersion, ...rest } = validate(versioned(), request.body)
  const patch = await declaration.validatePatch(rest)

  const existing = await getDocument(declaration, id)
  if (!existing) throw new NotFoundError(`${declaration.name}/${id} does not exist`)
  if (!declaration.rules.update(user, existing, patch)) {
    // A move is also a create where it goes: say so when that is what is refused.
    const target = movedTo(declaration.partitionKey, existing, patch)
    if (target !== undefined && !declaration.rules.create(user, { ...existing, ...patch })) {
      throw new ForbiddenError(`you may not move this document of ${declaration.name} to ${declaration.partitionKey} "${String(target)}"`)
    }
    throw new ForbiddenError(`you may not change this document of ${declaration.name}`)
  }
  if (existing.version !== expectedVersion) {
    throw new ConflictError(`version ${expectedVersion} expected, found ${existing.version}`, existing)
  }
  const outcome = await updateDocument(declaration, id, expectedVersion, patch, new Date().toISOString())
  switch (outcome.status) {
    case 'ok':
      return json(200, outcome.doc)
    case 'missing':
      throw new NotFoundError(`${declaration.name}/${id} does not exist`)
    case 'conflict':
      throw new ConflictError(`version ${expectedVersion} expected, found ${outcome.current.version}`, outcome.current)
  }
})
