import { UnauthorizedError } from '../lib/errors.ts'
import { caller, json, route } from '../lib/http.ts'
import { findUserById, profileOf } from '../db/users.ts'

/** `GET /auth/me` → 200 `{ user }` for a valid token whose user still exists. */
export const handler = route({ auth: true }, async (request) => {
  const record = await findUserById(caller(request).id)
  if (!record) throw new UnauthorizedError('user no longer exists')
  return json(200, { user: profileOf(record) })
})
