import * as z from 'zod/mini'
import { partitionValue } from '../../contracts/collection.ts'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../contracts/routes.ts'
import { listDocuments } from '../db/documents.ts'
import { collectionOf } from '../lib/collection-route.ts'
import { ForbiddenError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'
import { queryInteger, schemaOnFirstUse, validate } from '../lib/validation.ts'

const paging = schemaOnFirstUse(() => ({
  limit: z._default(queryInteger(1, MAX_PAGE_SIZE, 'must be a whole number'), DEFAULT_PAGE_SIZE),
  // A page's last id: any other value would answer an empty page, as if the partition had ended.
  cursor: z.optional(z.uuid('must be the nextCursor of an earlier page')),
}))

/** `GET /collections/:name?<partitionKey>=…&limit=&cursor=` → 200 `{ items, nextCursor }`. */
export const handler = route({ auth: true }, async (request) => {
  const declaration = collectionOf(request)
  // The partition's parameter is named by the declaration, so this schema is built per collection.
  const query: Readonly<Record<string, unknown>> = validate(
    z.strictObject({ ...paging(), [declaration.partitionKey]: partitionValue() }),
    request.query,
  )
  const partition = String(query[declaration.partitionKey])
  const page = { limit: Number(query.limit), ...(typeof query.cursor === 'string' ? { cursor: query.cursor } : {}) }
  if (!declaration.rules.read(request.user, partition)) {
    throw new ForbiddenError(`you may not read ${declaration.name} in ${declaration.partitionKey} "${partition}"`)
  }
  return json(200, await listDocuments(declaration, partition, page))
})
