import * as z from 'zod'

export const credentials = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, 'must be 3–32 letters, digits, or _ . -'),
  password: z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters'),
})

export const registration = credentials.extend({
  name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
})
