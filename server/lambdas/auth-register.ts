import { randomUUID } from 'node:crypto'
import { ConflictError } from '../lib/errors.ts'
import { json, route } from '../lib/http.ts'
import { hashPassword } from '../lib/passwords.ts'
import { registration } from '../lib/auth-schemas.ts'
import { sessionFor } from '../lib/sessions.ts'
import { validate } from '../lib/validation.ts'
import { insertUser, normaliseUsername, type UserRecord } from '../db/users.ts'

/** `POST /auth/register` → 201 `{ token, user, expiresAt }`; 409 when the username is taken. */
export const handler = route({ auth: false }, async ({ body }) => {
  const input = validate(registration, body)
  const record: UserRecord = {
    id: normaliseUsername(input.username),
    userId: randomUUID(),
    name: input.name,
    passwordHash: await hashPassword(input.password),
    createdAt: new Date().toISOString(),
  }
  if (!(await insertUser(record))) throw new ConflictError('username is taken', undefined)
  return json(201, sessionFor(record))
})
