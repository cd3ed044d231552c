import { rememberProfile } from '../db/profiles.ts'
import { findUserById, profileOf } from '../db/users.ts'
import { UnauthorizedError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'
import { TokenSource } from '../lib/token-source.ts'

/**
 * `GET /auth/me` → 200 `{ user }`. For an rtkit account, the stored profile
 * (the account must still exist); for a host user, the profile the token's
 * claims give, remembered so that presence can name them to others.
 */
export const handler = route({ auth: true }, async ({ user, token }) => {
  if (token.source === TokenSource.host) {
    const profile = { id: user.id, username: user.username, name: user.name }
    await rememberProfile(profile)
    return json(200, { user: profile })
  }
  const record = await findUserById(user.id)
  if (!record) throw new UnauthorizedError('user no longer exists')
  return json(200, { user: profileOf(record) })
})
