import type { ScryptOptions } from 'node:crypto'
import { firstUse } from './first-use.ts'

/** node:crypto, loaded by the first hash or check, not at a Lambda's init (`route.ts` loads the token code the same way). */
const nodeCrypto = firstUse(() => import('node:crypto'))

// Parameters are stored with each hash so they can be raised later without
// invalidating existing passwords.
const PARAMS = { N: 16384, r: 8, p: 1 } as const
const KEY_LENGTH = 32

async function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  const { scrypt: scryptCallback } = await nodeCrypto()
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64 salt and key). */
export async function hashPassword(password: string): Promise<string> {
  const salt = (await nodeCrypto()).randomBytes(16)
  const key = await scrypt(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** Compares in constant time; `false` for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) })
  return actual.length === expected.length && (await nodeCrypto()).timingSafeEqual(actual, expected)
}

/**
 * A hash of no one's password, checked when the user is unknown so that an
 * unknown user and a wrong password take the same time and give the same 401.
 */
export const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
