import * as z from 'zod/mini'
import { json, route } from '../lib/route.ts'
import { schemaOnFirstUse, validate } from '../lib/validation.ts'
import { findProfiles } from '../db/profiles.ts'
import { findUsersByIds, profileOf } from '../db/users.ts'

const MAX_IDS = 100

const query = schemaOnFirstUse(() =>
  z.strictObject({
    ids: z.pipe(
      z.pipe(
        z.string(),
        z.transform((raw: string) => [...new Set(raw.split(',').filter(Boolean))]),
      ),
      z
        // A host user's id (`host:<sub>`) may be as long as a primary key: 127.
        .array(z.string().check(z.maxLength(127)))
        .check(z.minLength(1, 'must name at least one id'), z.maxLength(MAX_IDS, `must name at most ${MAX_IDS} ids`)),
    ),
  }),
)

/**
 * `GET /users?ids=a,b` → 200 `{ users }`: public profiles (id, username,
 * name) of the given user ids, e.g. to name the users presence reports:
 * rtkit accounts, and host users as their last token named them. Unknown
 * ids are left out.
 */
export const handler = route({ auth: true }, async (request) => {
  const { ids } = validate(query(), request.query)
  const [records, hostUsers] = await Promise.all([findUsersByIds(ids), findProfiles(ids)])
  const accounts = records.map(profileOf)
  const known = new Set(accounts.map((profile) => profile.id))
  return json(200, { users: [...accounts, ...hostUsers.filter((profile) => !known.has(profile.id))] })
})
