import { LruCache } from '../../contracts/lru-cache.ts'
import { compareAndSetThrottleRow, THROTTLE_TABLE, throttleRows, type ThrottleRow } from '../db/throttle-rows.ts'
import { normaliseUsername } from '../db/users.ts'
import { TooManyRequestsError } from './errors.ts'
import { signals, type ThrottleRefusalSignal } from '../ops/signals.ts'
import { expiredRowsSweep } from './expired-rows-sweep.ts'
import { logLater } from './log-later.ts'

/**
 * Throttling of sign-in and registration (README, "Security notes").
 *
 * - **Per (account, address)**: 5 free failures within 15 minutes; after
 *   that each failure blocks that account from that address for 1 s,
 *   doubling up to 15 minutes. A guesser from one address locks only
 *   themselves out: the owner signs in from anywhere else.
 * - **Per account, a ceiling**: 100 failures within an hour from all
 *   addresses together (OWASP ASVS 2.2.1's bound); after that each failure
 *   blocks the account for 1 minute, doubling up to an hour, except from an
 *   address that signed in to it successfully within 30 days. With the pair
 *   schedule one address makes at most about 18 failures an hour, so the
 *   ceiling takes six or more addresses, and even then the owner's known
 *   addresses still get in.
 * - **Per address**: 50 free failures within 15 minutes over all accounts
 *   (one address spraying many usernames), doubling from 1 s; known
 *   addresses of the account are exempt, as for the ceiling.
 *
 * An attempt is counted on its pair *before* its password is hashed, by
 * compare-and-set on the row (and one claim at a time per pair in this
 * process), and given back when it succeeds: concurrent attempts cannot all
 * read the same count and slip past the schedule together. The ceilings
 * count each failure after the hash, also by compare-and-set, so none is
 * lost. A blocked attempt gets 429 with `Retry-After` and writes nothing. At most
 * `concurrent` attempts per pair (and per address) run at once in one
 * process; more are refused at once instead of queueing for the hash.
 */
export interface ThrottlePolicy {
  free: number
  baseMs: number
  maxMs: number
  windowMs: number
  /** At most this many attempts under way at once in one process; none when absent. */
  concurrent?: number
}

const MINUTE = 60_000
export const PAIR_POLICY: ThrottlePolicy = { free: 5, baseMs: 1_000, maxMs: 15 * MINUTE, windowMs: 15 * MINUTE, concurrent: 2 }
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 100, baseMs: MINUTE, maxMs: 60 * MINUTE, windowMs: 60 * MINUTE }
export const ADDRESS_POLICY: ThrottlePolicy = { free: 50, baseMs: 1_000, maxMs: 15 * MINUTE, windowMs: 15 * MINUTE, concurrent: 16 }
/** How long a successful sign-in makes its address known to the account (exempt from the ceilings). */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * MINUTE
/** Accounts one address may register within `windowMs`. */
export const REGISTRATION_LIMIT = { max: 20, windowMs: 60 * MINUTE }
/** How often one process deletes expired rows. */
const SWEEP_EVERY_MS = 10 * MINUTE
/** Compare-and-set rounds before giving up on a row many writers are changing. */
const CAS_ROUNDS = 20

interface Counter {
  id: string
  policy: ThrottlePolicy
  /** Whether its block applies to this attempt (the ceilings spare known addresses). */
  binding: (known: boolean) => boolean
}

function countersOf(username: string, address: string): Counter[] {
  const user = normaliseUsername(username)
  return [
    { id: `pair:${user}|${address}`, policy: PAIR_POLICY, binding: () => true },
    { id: `user:${user}`, policy: ACCOUNT_POLICY, binding: (known) => !known },
    { id: `address:${address}`, policy: ADDRESS_POLICY, binding: (known) => !known },
  ]
}

const inFlight = new Map<string, number>()
const queues = new Map<string, Promise<unknown>>()

/** How long a block this process has seen is trusted before the row is read again. */
export const BLOCK_RECHECK_MS = 2_000

/**
 * The pair blocks this process has read or written, by pair id: when each
 * ends, and when to read its row again. Until then an attempt of that pair is
 * refused before anything is read, so a flood of wrong passwords from one
 * address is answered with one read every {@link BLOCK_RECHECK_MS} instead of
 * one per attempt, and the server's loop and the database stay free for
 * everyone else's sign-in (bench `auth.loginUnderFlood`). Only the pair's
 * block binds every attempt (the ceilings spare known addresses, which takes
 * the row to tell). A success lifts its pair's block: here at once, and in
 * another process (or after a read here that raced the success's write) once
 * that process reads the row again, within {@link BLOCK_RECHECK_MS}. Bounded:
 * a flood from many addresses forgets the least recent, which then costs a
 * read again.
 */
const rememberedBlocks = new LruCache<string, { until: number; recheckAt: number }>(10_000)

function rememberBlock(id: string, row: ThrottleRow | undefined, at: number): void {
  if (row && row.blockedUntil > at) {
    rememberedBlocks.set(id, { until: row.blockedUntil, recheckAt: Math.min(row.blockedUntil, at + BLOCK_RECHECK_MS) })
  }
}

/** When the remembered block of `id` ends, while it may still be trusted at `at`; else 0. */
function rememberedBlock(id: string, at: number): number {
  const remembered = rememberedBlocks.get(id)
  if (remembered === undefined) return 0
  if (at < remembered.recheckAt) return remembered.until
  rememberedBlocks.delete(id)
  return 0
}

function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}

function isKnown(pair: ThrottleRow | undefined, at: number): boolean {
  return pair?.lastSuccessAt !== undefined && at - pair.lastSuccessAt <= KNOWN_ADDRESS_MS
}

/** Runs `task` after every earlier task of `key` in this process has settled. */
async function serially<T>(key: string, task: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve()
  const run = before.then(task, task)
  const settled = run.then(
    () => undefined,
    () => undefined,
  )
  queues.set(key, settled)
  try {
    return await run
  } finally {
    if (queues.get(key) === settled) queues.delete(key)
  }
}

/**
 * Rewrites one row with `change` in a compare-and-set loop, starting from
 * `read` when the caller has just read it; `change` may throw to stop.
 * Resolves the row as stored.
 */
async function changeRow(
  id: string,
  change: (row: ThrottleRow | undefined) => ThrottleRow,
  read?: { row: ThrottleRow | undefined },
): Promise<ThrottleRow> {
  for (let round = 0; round < CAS_ROUNDS; round++) {
    const row = round === 0 && read ? read.row : (await throttleRows([id])).get(id)
    const next = { ...change(row), rev: (row?.rev ?? 0) + 1 }
    if (await compareAndSetThrottleRow(row, next)) return next
  }
  throw busy()
}

/**
 * Runs one sign-in attempt under the throttle: refuses it (429) while the
 * pair, or (from an address not known to the account) the account or the
 * address is blocked or busy, then records its outcome. `attempt` resolves
 * `ok: true` on success, `false` on a failure that counts (a wrong password,
 * a taken username); a thrown error counts as neither.
 */
export async function throttled<T>(
  username: string,
  address: string,
  attempt: () => Promise<{ ok: boolean; value: T }>,
  now = Date.now,
): Promise<T> {
  const counters = countersOf(username, address)
  const [pair, ...ceilings] = counters as [Counter, ...Counter[]]
  const at = now()
  const remembered = rememberedBlock(pair.id, at)
  if (remembered > at) {
    // Most refused attempts of a flood end here: no query, no lock, no write.
    await sweep(at)
    refuseUntil(remembered, at)
  }
  const limited = counters.filter((counter) => counter.policy.concurrent !== undefined)
  for (const { id, policy } of limited) {
    if ((inFlight.get(id) ?? 0) >= policy.concurrent!) throw busy()
  }
  // Counted before the first await, so that a burst cannot slip past the limit while the rows are read.
  for (const { id } of limited) inFlight.set(id, (inFlight.get(id) ?? 0) + 1)
  try {
    const rows = await throttleRows(counters.map((counter) => counter.id))
    rememberBlock(pair.id, rows.get(pair.id), at)
    const known = isKnown(rows.get(pair.id), at)
    const blocked = (counter: Counter, row: ThrottleRow | undefined) =>
      row && counter.binding(known) && row.blockedUntil > at ? row.blockedUntil : 0
    // Most other refused attempts end here: no lock, no write.
    refuseUntil(Math.max(0, ...counters.map((counter) => blocked(counter, rows.get(counter.id)))), at)
    // The pair's schedule is the one a burst could outrun: its failure is counted before the hash,
    // one claim at a time per pair in this process and by compare-and-set across processes.
    const claimed = await serially(pair.id, () =>
      changeRow(
        pair.id,
        (row) => {
          rememberBlock(pair.id, row, at)
          refuseUntil(blocked(pair, row), at)
          return failed(row, pair.id, pair.policy, at)
        },
        { row: rows.get(pair.id) },
      ),
    )
    rememberBlock(pair.id, claimed, at)
    let outcome: { ok: boolean; value: T }
    try {
      outcome = await attempt()
    } catch (error) {
      await giveBack(pair, false, now(), claimed)
      throw error
    }
    if (outcome.ok) await giveBack(pair, true, now(), claimed)
    // The ceilings count after the hash, each failure once (compare-and-set); an attempt already
    // past their check when another failed may still finish: at most the attempts under way.
    else await Promise.all(ceilings.map((counter) => countFailure(counter, now(), rows.get(counter.id))))
    return outcome.value
  } finally {
    for (const { id } of limited) {
      const left = (inFlight.get(id) ?? 1) - 1
      if (left > 0) inFlight.set(id, left)
      else inFlight.delete(id)
    }
    await sweep(now())
  }
}

function refuseUntil(until: number, at: number): void {
  if (until <= at) return
  signals.throttleRefusal.publish({ reason: 'blocked' } satisfies ThrottleRefusalSignal)
  throw new TooManyRequestsError('too many failed attempts; try again later', retryAfterSeconds(until - at))
}

/** The refusal of an attempt that found too many others at once (counted for the metrics). */
function busy(): TooManyRequestsError {
  signals.throttleRefusal.publish({ reason: 'busy' } satisfies ThrottleRefusalSignal)
  return new TooManyRequestsError('too many sign-in attempts at once; try again shortly', 1)
}

async function countFailure(counter: Counter, at: number, read: ThrottleRow | undefined): Promise<void> {
  // One at a time per row in this process, so a burst of failures does not wear out the compare-and-set's rounds.
  await serially(counter.id, () => changeRow(counter.id, (row) => failed(row, counter.id, counter.policy, at), { row: read })).catch(
    (error: unknown) => logLater((log) => log.warn({ err: error, id: counter.id }, 'sign-in throttle: could not count a failure')),
  )
}

/** Takes back one claimed failure; a successful pair also becomes known. */
async function giveBack(counter: Counter, succeeded: boolean, at: number, claimed?: ThrottleRow): Promise<void> {
  rememberedBlocks.delete(counter.id)
  await changeRow(
    counter.id,
    (row) => {
      if (succeeded)
        return withExpiry(
          { id: counter.id, failures: 0, lastFailureAt: 0, blockedUntil: 0, lastSuccessAt: at, expiresAt: 0, rev: 0 },
          counter.policy,
        )
      const base = row ?? { id: counter.id, failures: 1, lastFailureAt: at, blockedUntil: 0, expiresAt: 0, rev: 0 }
      const failures = Math.max(0, base.failures - 1)
      return withExpiry({ ...base, failures, blockedUntil: failures < counter.policy.free ? 0 : base.blockedUntil }, counter.policy)
    },
    claimed ? { row: claimed } : undefined,
  ).catch((error: unknown) =>
    logLater((log) => log.warn({ err: error, id: counter.id }, 'sign-in throttle: could not give back an attempt')),
  )
}

function withExpiry(row: ThrottleRow, policy: ThrottlePolicy): ThrottleRow {
  const expiresAt = Math.max(
    row.blockedUntil,
    row.lastFailureAt + policy.windowMs,
    row.lastSuccessAt === undefined ? 0 : row.lastSuccessAt + KNOWN_ADDRESS_MS,
  )
  return { ...row, expiresAt }
}

/** The row after one more failure at `at`. */
export function failed(row: ThrottleRow | undefined, id: string, policy: ThrottlePolicy, at: number): ThrottleRow {
  const previous = row && at - row.lastFailureAt <= policy.windowMs ? row.failures : 0
  const failures = previous + 1
  const over = failures - policy.free
  const blockedUntil = over >= 0 ? at + Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(over, 30)) : 0
  const kept = row?.lastSuccessAt === undefined ? {} : { lastSuccessAt: row.lastSuccessAt }
  return withExpiry({ id, failures, lastFailureAt: at, blockedUntil, ...kept, expiresAt: 0, rev: row?.rev ?? 0 }, policy)
}

/**
 * Runs one registration under the per-address limit (`REGISTRATION_LIMIT`):
 * refuses it with 429 and `Retry-After` (when the address's window ends)
 * once the address has registered `max` accounts within the window. The
 * slot is taken before the password is hashed and given back when `register`
 * resolves `false` (nothing made) or throws.
 */
export async function withinRegistrationLimit(address: string, register: () => Promise<boolean>, now = Date.now): Promise<boolean> {
  const id = `registered:${address}`
  const { max, windowMs } = REGISTRATION_LIMIT
  const window = { free: max, baseMs: 0, maxMs: 0, windowMs }
  const at = now()
  await changeRow(id, (row) => {
    const current = row && at - row.lastFailureAt < windowMs ? row : undefined
    if (current && current.failures >= max) {
      throw new TooManyRequestsError(
        `this address has registered ${max} accounts within ${windowMs / MINUTE} minutes; try again later`,
        retryAfterSeconds(current.lastFailureAt + windowMs - at),
      )
    }
    const start = current?.lastFailureAt ?? at
    return withExpiry({ id, failures: (current?.failures ?? 0) + 1, lastFailureAt: start, blockedUntil: 0, expiresAt: 0, rev: 0 }, window)
  })
  const giveBack = () =>
    changeRow(id, (row) =>
      withExpiry(
        { ...(row ?? { id, lastFailureAt: at, blockedUntil: 0, expiresAt: 0, rev: 0 }), failures: Math.max(0, (row?.failures ?? 1) - 1) },
        window,
      ),
    ).catch((error: unknown) => logLater((log) => log.warn({ err: error, id }, 'registration limit: could not give back a slot')))
  let made: boolean
  try {
    made = await register()
  } catch (error) {
    await giveBack()
    throw error
  }
  if (!made) await giveBack()
  return made
}

/** Housekeeping: deletes expired rows, at most once per `SWEEP_EVERY_MS` in this process. */
const sweep = expiredRowsSweep(THROTTLE_TABLE, SWEEP_EVERY_MS, 'sign-in throttle')
