import { documentId } from '../../contracts/collection.ts'
import type { Collection } from '../collections/collection.ts'
import { findCollection } from '../collections/registry.ts'
import { NotFoundError } from './errors.ts'
import type { RouteRequest } from './route.ts'
import { validate } from './validation.ts'

/** The declaration named by the `name` path parameter; 404 when there is none. */
export function collectionOf(request: RouteRequest): Collection {
  const name = request.params.name ?? ''
  const declaration = findCollection(name)
  if (!declaration) throw new NotFoundError(`unknown collection "${name}"`)
  return declaration
}

/** The `id` path parameter, which must be a UUID (422 otherwise). */
export function documentIdOf(request: RouteRequest): string {
  return validate(documentId(), request.params.id)
}
