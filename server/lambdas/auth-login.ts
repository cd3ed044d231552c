import { findUserByUsername } from '../db/users.ts'
import { credentials } from '../lib/auth-schemas.ts'
import { UnauthorizedError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'
import { throttled } from '../lib/login-throttle.ts'
import { DECOY_HASH, verifyPassword } from '../lib/passwords.ts'
import { sessionFor } from '../lib/sessions.ts'
import { validate } from '../lib/validation.ts'

/**
 * `POST /auth/login` → 200 `{ token, user, expiresAt }`; one 401 for an
 * unknown user and a wrong password; 429 with `Retry-After` after repeated
 * failures for that username or from that address.
 */
export const handler = route({ auth: false }, async ({ body, sourceIp }) => {
  const input = validate(credentials(), body)
  const record = await throttled(input.username, sourceIp, async () => {
    const found = await findUserByUsername(input.username)
    // Hash even for an unknown user, so both failures take the same time.
    const matches = await verifyPassword(input.password, found?.passwordHash ?? DECOY_HASH)
    // A disabled account (`rtkit-server users disable`) gets the same 401 as a wrong password.
    const allowed = found !== undefined && matches && !found.disabled
    return { ok: allowed, value: allowed ? found : undefined }
  })
  if (!record) throw new UnauthorizedError('invalid username or password')
  return json(200, await sessionFor(record))
})
