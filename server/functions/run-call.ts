import type { Principal } from '../../contracts/principal.ts'
import { STATUS_OF } from '../../contracts/errors.ts'
import { IDEMPOTENCY_WINDOW_MS } from '../../contracts/routes.ts'
import {
  claimFunctionCall,
  FUNCTION_CALLS_TABLE,
  finishFunctionCall,
  keptAnswer,
  releaseFunctionCall,
  type KeptAnswer,
} from '../db/function-calls.ts'
import { ConflictError, HttpError } from '../lib/errors.ts'
import { expiredRowsSweep } from '../lib/expired-rows-sweep.ts'
import { firstUse } from '../lib/first-use.ts'
import { loadLog } from '../lib/log-later.ts'
import { errorResponse } from '../lib/route.ts'
import type { ServerFunction } from './compile-functions.ts'
import { serverCollections } from './server-collections.ts'

/**
 * One call of a function: its answer from what the handler returned or
 * threw, and, with an idempotency key, at most one run per key and caller
 * within the window (`server/db/function-calls.ts` holds the claims).
 */

export interface Call {
  fn: ServerFunction
  input: unknown
  user: Principal | undefined
  requestId: string
  /** How long this invocation may still run: a claim is held that long. */
  remainingMs: number
}

/** The status code for each 4xx a function may answer with, by status. */
const CODE_OF_STATUS = new Map(Object.entries(STATUS_OF).map(([code, status]) => [status, code]))

/** A call's answer: its status and its body's JSON text, made once, which is what the client is sent and what a key keeps. */
type Answer = KeptAnswer

/** Throws for a body JSON cannot carry (a BigInt, a cycle), before anything is sent or kept. */
function answerOf(status: number, body: unknown): Answer {
  return { status, json: JSON.stringify(body) }
}

/** An answer for an error a handler threw on purpose: a 4xx `status`, `expose: true`, a message. */
function exposedAnswer(error: unknown): { status: number; body: unknown } | undefined {
  if (error instanceof HttpError || typeof error !== 'object' || error === null) return undefined
  const { status, expose, message, code, details } = error as Record<string, unknown>
  if (expose !== true || typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined
  if (typeof message !== 'string') return undefined
  const body = {
    error: {
      code: typeof code === 'string' ? code : (CODE_OF_STATUS.get(status) ?? 'function_error'),
      message,
      ...(details === undefined ? {} : { details }),
    },
  }
  return { status, body }
}

/** The answer for what a handler threw: its own for an exposed 4xx, else the route's (500 with the request id, 503…). */
async function failedAnswer(error: unknown, requestId: string): Promise<Answer> {
  const exposed = exposedAnswer(error)
  if (exposed) {
    try {
      return answerOf(exposed.status, exposed.body)
    } catch (unsendable) {
      error = new TypeError('a function threw an exposed error whose details JSON cannot carry', { cause: unsendable })
    }
  }
  const response = await errorResponse(error, requestId)
  return { status: response.statusCode ?? 500, json: String(response.body) }
}

/**
 * Runs the handler once, without an idempotency key: `{ result }` with 200,
 * or the error's answer (500 with the request id for anything unexposed,
 * a result JSON cannot carry included).
 */
export async function runCall({ fn, input, user, requestId }: Call): Promise<Answer> {
  try {
    // The logger is loaded by the first call, not at a Lambda's init (`log-later.ts` says why): the same logger, ready before the handler runs.
    const { log } = await loadLog()
    const ctx = { user, requestId, log: log.child({ requestId, function: fn.name }), collections: serverCollections(user, fn.name) }
    const result = await fn.run(input, ctx)
    return answerOf(200, { result: result === undefined ? null : result })
  } catch (error) {
    return failedAnswer(error, requestId)
  }
}

// Loaded by the first call with a key, not at a Lambda's init.
const nodeCrypto = firstUse(() => import('node:crypto'))

/** Housekeeping: deletes calls past their window, at most once an hour in this process. */
const sweep = expiredRowsSweep(FUNCTION_CALLS_TABLE, 60 * 60 * 1000, 'functions (idempotency keys)')

/**
 * Runs `call` at most once for `key` and its caller within the window: the
 * first call claims the key and stores its answer; a repeat gets that
 * answer (with `idempotent-replayed: true`), or 409 while the first still
 * runs. A 5xx answer is not kept: the claim lapses, so a retry may run.
 */
export async function runIdempotentCall(call: Call, key: string): Promise<Answer & { replayed: boolean }> {
  const { createHash } = await nodeCrypto()
  const id = createHash('sha256')
    .update(`${call.user?.id ?? ''}\n${call.fn.name}\n${key}`)
    .digest('hex')
  const now = Date.now()
  const claimed = await claimFunctionCall(id, call.fn.name, now, call.remainingMs + 1_000, IDEMPOTENCY_WINDOW_MS)
  if (claimed.status === 'done') return { ...keptAnswer(claimed.row.answer!), replayed: true }
  if (claimed.status === 'running') {
    throw new ConflictError('a call with this Idempotency-Key is still running; repeat it later', undefined, { inProgress: true })
  }
  const answer = await runCall(call)
  if (answer.status >= 500) {
    // A 5xx (the database unavailable, a bug) is not kept: the run is over, so a retry may run anew. That
    // holds for a result JSON cannot carry (a BigInt, a cycle) too, though the handler's writes happened:
    // it is the operator's bug, answered like a throw after a write, whose writes are not undone either.
    // Keeping that 500 would fail every retry for the whole window with another request's id; giving the
    // key up lets a fixed function answer the retry.
    await releaseFunctionCall(id, claimed.claim).catch(() => undefined)
  } else {
    // The answer is kept as JSON text, so its shape cannot make storing it fail; only the database can (an
    // outage, a restart). The client then gets that failure's 5xx, and the key is given up like any 5xx's
    // rather than held "in progress" until the lease ends; if the database is still out, giving up fails
    // too and the claim lapses with its lease, as a stopped run's does. Either way a retry runs anew.
    await finishFunctionCall(id, claimed.claim, answer).catch(async (error: unknown) => {
      await releaseFunctionCall(id, claimed.claim).catch(() => undefined)
      throw error
    })
  }
  await sweep(now)
  // The text kept is the text sent: a repeat gets the same bytes.
  return { ...answer, replayed: false }
}
