import * as z from 'zod/mini'
import { visibleText } from '../../contracts/text.ts'
import { schemaOnFirstUse } from './validation.ts'

const username = () => z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_.-]{3,32}$/, 'must be 3–32 letters, digits, or _ . -'))
const TOO_LONG = 'must be at most 128 characters'

/**
 * A sign-in. A password too short to have been registered is not refused
 * here: it gets the same 401 as any wrong password, as an unknown user does.
 */
export const credentials = schemaOnFirstUse(() =>
  z.strictObject({
    username: username(),
    password: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(128, TOO_LONG)),
  }),
)

export const registration = schemaOnFirstUse(() =>
  z.strictObject({
    username: username(),
    password: z.string().check(z.minLength(8, 'must be at least 8 characters'), z.maxLength(128, TOO_LONG)),
    name: visibleText({ max: 64 }),
  }),
)
