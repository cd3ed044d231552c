import type R from 'rethinkdb'
import { connection } from './connection.ts'
import { driver } from './driver.ts'

/**
 * Function calls made with an `Idempotency-Key`, in the database so every
 * gateway process and every Lambda instance sees the same ones. A call first
 * *claims* its row with a conditional insert: only the caller whose insert
 * succeeds runs the function; a repeat finds the row, and either gets the
 * stored answer (`done`) or learns that the first call still runs. A claim
 * whose run was stopped (a timeout, a crash) may be taken over once its
 * lease has passed; an answer is kept until `expiresAt`, the window.
 */
export const FUNCTION_CALLS_TABLE = 'function_calls'

/**
 * An answer to a call, as kept for repeats: the status and the JSON text the
 * first call sent. Text, not the body as an object, so what a repeat gets is
 * exactly what the client got (JSON drops an undefined field the driver
 * refuses) and no depth of the result meets the driver's nesting limit.
 */
export interface KeptAnswer {
  status: number
  json: string
}

/** An answer kept before the JSON text was (the body as an object): rows of that form may still be inside their window. */
interface EarlierAnswer {
  status: number
  body: unknown
}

export interface FunctionCallRow {
  /** Hash of the caller and the key (server/lambdas/functions-call.ts). */
  id: string
  function: string
  /** Who made the claim: taking a stale claim over compares it. */
  claim: string
  /** Epoch ms until which a running claim is held (the function's timeout). */
  leaseUntil: number
  /** Epoch ms after which the row means nothing and may be deleted. */
  expiresAt: number
  answer?: KeptAnswer | EarlierAnswer
}

/** The answer a row keeps, in either form, as the text to send again. */
export function keptAnswer(answer: KeptAnswer | EarlierAnswer): KeptAnswer {
  return 'json' in answer ? answer : { status: answer.status, json: JSON.stringify(answer.body) }
}

// @types/rethinkdb lacks r.error and types r.branch too narrowly for write functions.
interface Untyped {
  branch(test: unknown, whenTrue: unknown, whenFalse: unknown): object
  error(message: string): unknown
}

/** What claiming found. */
export type ClaimOutcome =
  { status: 'claimed'; claim: string } | { status: 'done'; row: FunctionCallRow } | { status: 'running'; row: FunctionCallRow }

/**
 * Claims `id` for one run of `fn`, in one atomic write per attempt: an insert
 * that fails on an existing row, or the replacement of a stale row (past its
 * lease while running, or past its window) conditioned on the claim read.
 */
export async function claimFunctionCall(id: string, fn: string, now: number, leaseMs: number, windowMs: number): Promise<ClaimOutcome> {
  const r = await driver()
  const conn = await connection()
  const claim = crypto.randomUUID()
  const row: FunctionCallRow = { id, function: fn, claim, leaseUntil: now + leaseMs, expiresAt: now + windowMs }
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await r.table(FUNCTION_CALLS_TABLE).insert(row, { conflict: 'error' }).run(conn)
    if (inserted.inserted === 1) return { status: 'claimed', claim }
    const stored = await r.table(FUNCTION_CALLS_TABLE).get<FunctionCallRow>(id).run(conn)
    if (!stored) continue // deleted meanwhile (housekeeping): insert again
    const stale = stored.expiresAt <= now || (stored.answer === undefined && stored.leaseUntil <= now)
    if (!stale) return { status: stored.answer ? 'done' : 'running', row: stored }
    const untyped = r as unknown as Untyped
    const replaced = await r
      .table(FUNCTION_CALLS_TABLE)
      .get(id)
      .replace((current: R.Expression<unknown>) =>
        untyped.branch(current('claim').eq(stored.claim), row, untyped.error('rtkit:claim-moved')),
      )
      .run(conn)
    if (replaced.replaced === 1) return { status: 'claimed', claim }
  }
  throw new Error(`could not claim function call ${id}: it kept changing`)
}

/** Stores the answer of the run that holds `claim`, for the repeats of the window. */
export async function finishFunctionCall(id: string, claim: string, answer: KeptAnswer): Promise<void> {
  const r = await driver()
  const untyped = r as unknown as Untyped
  await r
    .table(FUNCTION_CALLS_TABLE)
    .get(id)
    .update((row: R.Expression<unknown>) => untyped.branch(row('claim').eq(claim), { answer }, {}))
    .run(await connection())
}

/** Gives the claim up (its run failed with a 5xx): a repeat runs anew. */
export async function releaseFunctionCall(id: string, claim: string): Promise<void> {
  const r = await driver()
  await r
    .table(FUNCTION_CALLS_TABLE)
    .get(id)
    .replace((row: R.Expression<unknown>) => (r as unknown as Untyped).branch(row('claim').eq(claim), null, row))
    .run(await connection())
}
