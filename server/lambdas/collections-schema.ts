import type { CollectionsAnswer } from '../../contracts/routes.ts'
import { servedCollections } from '../collections/registry.ts'
import { json, route } from '../lib/route.ts'

/**
 * `GET /collections` → 200 `{ collections: [{ name, partitionKey, order, fields, derived, textFields }] }`:
 * the public half of every declared collection, for signed-in users. Rules
 * and schemas stay on the server.
 */
export const handler = route({ auth: true }, async () => {
  const answer: CollectionsAnswer = {
    collections: servedCollections().map(({ name, partitionKey, order, fields, derived, textFields }) => ({
      name,
      partitionKey,
      order: [...order],
      fields: [...fields],
      derived: [...derived],
      textFields: [...textFields],
    })),
  }
  return json(200, answer)
})
