import { clearThrottleRow, saveThrottleRow, throttleRows, type ThrottleRow } from '../db/login-throttle.ts'
import { normaliseUsername } from '../db/users.ts'
import { TooManyRequestsError } from './errors.ts'

/**
 * Throttling of sign-in and registration, per username and per client
 * address: each may fail `free` times within `windowMs`; after that every
 * failure blocks further attempts for `baseMs`, doubling up to `maxMs`.
 * A blocked attempt gets 429 with `Retry-After` before any password is
 * hashed, so a flood neither guesses on nor eats the CPU others need.
 * The address allows many more failures than a username, so a flood against
 * one account locks that account's guessers out, not everyone behind the
 * same address. At most `concurrent` attempts per key run at once in one
 * process; more are refused at once instead of queueing for the hash.
 *
 * Counts are read, changed and written back without a transaction: two
 * failures at the same instant may count as one. For a throttle that errs
 * by one in the attacker's favour under a race, that is enough.
 */
export interface ThrottlePolicy {
  free: number
  baseMs: number
  maxMs: number
  windowMs: number
  concurrent: number
}

export const USERNAME_POLICY: ThrottlePolicy = { free: 5, baseMs: 1_000, maxMs: 15 * 60_000, windowMs: 15 * 60_000, concurrent: 2 }
export const ADDRESS_POLICY: ThrottlePolicy = { free: 50, baseMs: 1_000, maxMs: 15 * 60_000, windowMs: 15 * 60_000, concurrent: 16 }

const inFlight = new Map<string, number>()

interface Keys {
  user: string
  address: string
}

function keysOf(username: string, address: string): Keys {
  return { user: `user:${normaliseUsername(username)}`, address: `address:${address}` }
}

function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}

/**
 * Runs one sign-in attempt under the throttle: refuses it (429) while the
 * username or the address is blocked or busy, then records its outcome.
 * `attempt` resolves `true` on success, `false` on a failure that counts
 * (a wrong password, a taken username); a thrown error counts as neither.
 */
export async function throttled<T>(
  username: string,
  address: string,
  attempt: () => Promise<{ ok: boolean; value: T }>,
  now = Date.now,
): Promise<T> {
  const keys = keysOf(username, address)
  const policies: Array<[string, ThrottlePolicy]> = [
    [keys.user, USERNAME_POLICY],
    [keys.address, ADDRESS_POLICY],
  ]
  for (const [key, policy] of policies) {
    if ((inFlight.get(key) ?? 0) >= policy.concurrent)
      throw new TooManyRequestsError('too many sign-in attempts at once; try again shortly', 1)
  }
  // Counted at once, in the same step as the check: counted only after the
  // read below, any number of attempts got past the check while it ran, and
  // a flood hashed (and failed) far beyond the limit.
  for (const [key] of policies) inFlight.set(key, (inFlight.get(key) ?? 0) + 1)
  try {
    const rows = await throttleRows([keys.user, keys.address])
    const blockedUntil = Math.max(0, ...rows.map((row) => row.blockedUntil))
    if (blockedUntil > now())
      throw new TooManyRequestsError('too many failed attempts; try again later', retryAfterSeconds(blockedUntil - now()))
    const { ok, value } = await attempt()
    if (ok) await clearThrottleRow(keys.user)
    else
      await Promise.all(
        policies.map(([key, policy]) =>
          saveThrottleRow(
            failed(
              rows.find((row) => row.id === key),
              key,
              policy,
              now(),
            ),
          ),
        ),
      )
    return value
  } finally {
    for (const [key] of policies) {
      const left = (inFlight.get(key) ?? 1) - 1
      if (left > 0) inFlight.set(key, left)
      else inFlight.delete(key)
    }
  }
}

/** The row after one more failure at `at`. */
export function failed(row: ThrottleRow | undefined, id: string, policy: ThrottlePolicy, at: number): ThrottleRow {
  const previous = row && at - row.lastFailureAt <= policy.windowMs ? row.failures : 0
  const failures = previous + 1
  const over = failures - policy.free
  const blockedUntil = over >= 0 ? at + Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(over, 30)) : 0
  return { id, failures, lastFailureAt: at, blockedUntil }
}
