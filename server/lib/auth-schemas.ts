import * as z from 'zod/mini'
import { visibleText } from '../../contracts/text.ts'
import { schemaOnFirstUse } from './validation.ts'

export const credentials = schemaOnFirstUse(() =>
  z.strictObject({
    username: z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_.-]{3,32}$/, 'must be 3–32 letters, digits, or _ . -')),
    password: z.string().check(z.minLength(8, 'must be at least 8 characters'), z.maxLength(128, 'must be at most 128 characters')),
  }),
)

export const registration = schemaOnFirstUse(() =>
  z.extend(credentials(), {
    name: visibleText({ max: 64 }),
  }),
)
