import { AsyncLocalStorage } from 'node:async_hooks'
import { ErrorCode } from '../../contracts/errors.ts'
import { HttpError } from './errors.ts'

/**
 * Which invocation the running code belongs to, so that a handler the local
 * gateway has given up on stops touching the database.
 *
 * A deployed Lambda that times out is stopped with its execution
 * environment: nothing it would have done next happens. The local gateway
 * runs handlers in its own process and cannot stop a promise, so it answers
 * 504 and abandons the invocation instead; from then on the
 * handler's next {@link assertInvocationLive} (every `connection()` of the
 * data access, before and after it resolves) throws, and no query is sent
 * after the 504. A query already sent runs to its end, as on a real Lambda.
 * Outside an invocation (the bridge, migrations, a deployed Lambda) this
 * does nothing.
 */
const current = new AsyncLocalStorage<Invocation>()

/**
 * One handler invocation of the local gateway. A flag, not an
 * `AbortController`: nothing listens for the moment it is abandoned, and a
 * controller and its signal cost every request a few microseconds.
 */
export class Invocation {
  #abandoned = false

  get abandoned(): boolean {
    return this.#abandoned
  }

  /** From now on the invocation's next database call throws. */
  abandon(): void {
    this.#abandoned = true
  }
}

/** Runs `handle` as `invocation`. */
export function runInvocation<T>(invocation: Invocation, handle: () => T): T {
  return current.run(invocation, handle)
}

/** Thrown into an abandoned invocation's next database call. */
export class InvocationAbandonedError extends HttpError {
  override name = 'InvocationAbandonedError'
  constructor() {
    super(ErrorCode.timeout, 'the request timed out and was abandoned')
  }
}

/** @throws {InvocationAbandonedError} when the invocation this code runs in was abandoned */
export function assertInvocationLive(): void {
  if (current.getStore()?.abandoned) throw new InvocationAbandonedError()
}
