import * as z from 'zod'
import { json, route } from '../lib/http.ts'
import { validate } from '../lib/validation.ts'
import { findUsersByIds, profileOf } from '../db/users.ts'

const MAX_IDS = 100

const query = z.strictObject({
  ids: z
    .string()
    .transform((raw) => [...new Set(raw.split(',').filter(Boolean))])
    .pipe(z.array(z.string().max(64)).min(1, 'must name at least one id').max(MAX_IDS, `must name at most ${MAX_IDS} ids`)),
})

/**
 * `GET /users?ids=a,b` → 200 `{ users }`: public profiles (id, username,
 * name) of the given user ids, e.g. to name the users presence reports.
 * Unknown ids are left out.
 */
export const handler = route({ auth: true }, async (request) => {
  const { ids } = validate(query, request.query)
  const records = await findUsersByIds(ids)
  return json(200, { users: records.map(profileOf) })
})
