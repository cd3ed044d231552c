import * as z from 'zod/mini'
import { getDocument, removeDocument } from '../db/documents.ts'
import { collectionOf, documentIdOf } from '../lib/collection-route.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'
import { queryInteger, refuseWith, schemaOnFirstUse, validate } from '../lib/validation.ts'

const options = schemaOnFirstUse(() =>
  z.strictObject({ expectedVersion: z.optional(queryInteger(1, Number.MAX_SAFE_INTEGER, 'must be a version number')) }),
)

/**
 * `DELETE /collections/:name/:id[?expectedVersion=n]` → 200 `{ id, version }`,
 * where `version` is one past the deleted document's, like the realtime event.
 * A document deleted already (a replay, or a concurrent DELETE that won) is
 * 404, which the kit's command layer counts as done. A body is refused:
 * `expectedVersion` sent there, as PATCH takes it, would otherwise be
 * ignored and the delete made unconditionally.
 */
export const handler = route({ auth: true }, async (request) => {
  const declaration = collectionOf(request)
  const id = documentIdOf(request)
  const { user } = request
  if (request.body !== undefined) {
    refuseWith([{ path: '', message: 'a DELETE takes no body: send expectedVersion in the query (?expectedVersion=n)' }])
  }
  const { expectedVersion } = validate(options(), request.query)

  // Without `expectedVersion` the delete still conditions on the version it
  // read, and re-reads if a concurrent write got in between.
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await getDocument(declaration, id)
    if (!existing) throw new NotFoundError(`${declaration.name}/${id} does not exist`)
    if (!declaration.rules.remove(user, existing)) {
      throw new ForbiddenError(`you may not delete this document of ${declaration.name}`)
    }
    if (expectedVersion !== undefined && existing.version !== expectedVersion) {
      throw new ConflictError(`version ${expectedVersion} expected, found ${existing.version}`, existing)
    }
    const outcome = await removeDocument(declaration, existing, existing.version, user.id)
    if (outcome.status === 'ok') return json(200, { id, version: outcome.doc.version + 1 })
    if (outcome.status === 'missing') throw new NotFoundError(`${declaration.name}/${id} does not exist`)
    if (expectedVersion !== undefined) {
      throw new ConflictError(`version ${expectedVersion} expected, found ${outcome.current.version}`, outcome.current)
    }
  }
  throw new ConflictError('the document kept changing; try again', await getDocument(declaration, id))
})
