import { insertUser, normaliseUsername, type UserRecord } from '../db/users.ts'
import { registration } from '../lib/auth-schemas.ts'
import { ConflictError } from '../lib/errors.ts'
import { json, route } from '../lib/route.ts'
import { throttled, withinRegistrationLimit } from '../lib/login-throttle.ts'
import { hashPassword } from '../lib/passwords.ts'
import { sessionFor } from '../lib/sessions.ts'
import { validate } from '../lib/validation.ts'

/**
 * `POST /auth/register` → 201 `{ token, user, expiresAt }`; 409 when the
 * username is taken (which counts as a failed attempt for the throttle: it
 * is how usernames are probed); 429 with `Retry-After` when throttled, or
 * when the address has registered `REGISTRATION_LIMIT.max` accounts within
 * the hour.
 */
export const handler = route({ auth: false }, async ({ body, sourceIp }) => {
  const input = validate(registration(), body)
  const record: UserRecord = {
    id: normaliseUsername(input.username),
    userId: crypto.randomUUID(),
    name: input.name,
    passwordHash: '',
    createdAt: new Date().toISOString(),
  }
  const created = await withinRegistrationLimit(sourceIp, () =>
    throttled(input.username, sourceIp, async () => {
      record.passwordHash = await hashPassword(input.password)
      const inserted = await insertUser(record)
      return { ok: inserted, value: inserted }
    }),
  )
  if (!created) throw new ConflictError('username is taken', undefined)
  return json(201, await sessionFor(record))
})
