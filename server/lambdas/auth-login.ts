import { UnauthorizedError } from '../lib/errors.ts'
import { json, route } from '../lib/http.ts'
import { DECOY_HASH, verifyPassword } from '../lib/passwords.ts'
import { credentials } from '../lib/auth-schemas.ts'
import { sessionFor } from '../lib/sessions.ts'
import { validate } from '../lib/validation.ts'
import { findUserByUsername } from '../db/users.ts'

/** `POST /auth/login` → 200 `{ token, user, expiresAt }`; one 401 for unknown user and wrong password. */
export const handler = route({ auth: false }, async ({ body }) => {
  const input = validate(credentials, body)
  const record = await findUserByUsername(input.username)
  // Hash even for an unknown user, so both failures take the same time.
  const matches = await verifyPassword(input.password, record?.passwordHash ?? DECOY_HASH)
  if (!record || !matches) throw new UnauthorizedError('invalid username or password')
  return json(200, sessionFor(record))
})
