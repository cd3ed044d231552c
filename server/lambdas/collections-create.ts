import { insertDocument, newDocument } from '../db/documents.ts'
import { collectionOf } from '../lib/collection-route.ts'
import { ConflictError, ForbiddenError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'

/**
 * `POST /collections/:name` → 201 with the new document, or 200 with the
 * stored one when a document with that id exists (repeated inserts are no-ops).
 */
export const handler = route({ auth: true }, async (request) => {
  const declaration = collectionOf(request)
  const { user } = request
  const input = await declaration.validateCreate(request.body)
  const fields = { ...input, ...declaration.derive(user) }
  if (!declaration.rules.create(user, fields)) {
    throw new ForbiddenError(`you may not create ${declaration.name} here`)
  }
  const result = await insertDocument(declaration, newDocument(fields, user.id, new Date().toISOString()))
  if (result.status === 'created') return json(201, result.doc)
  if (result.status === 'deleted') {
    // Applied before and deleted since (a late replay): bringing it back would
    // resurrect it at version 1 where clients saw it removed.
    throw new ConflictError(`${declaration.name}/${input.id} was deleted`, undefined, {
      deleted: { id: input.id, version: result.tombstone.version },
    })
  }
  // A repeated insert is a no-op for its author only. Anyone else learns just
  // that the id is taken: never the stored document, which they may not read.
  const stored = result.doc as Record<string, unknown> & { createdBy: string }
  const partition = String(stored[declaration.partitionKey])
  if (stored.createdBy !== user.id || !declaration.rules.read(user, partition)) {
    throw new ConflictError(`${declaration.name}/${input.id} already exists`, undefined)
  }
  return json(200, result.doc)
})
