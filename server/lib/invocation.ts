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
 * 504 and aborts the invocation's signal instead; from then on the
 * handler's next {@link assertInvocationLive} (every `connection()` of the
 * data access, before and after it resolves) throws, and no query is sent
 * after the 504. A query already sent runs to its end, as on a real Lambda.
 * Outside an invocation (the bridge, migrations, a deployed Lambda) this
 * does nothing.
 */
const invocation = new AsyncLocalStorage<AbortSignal>()

/** Runs `handle` as one invocation, abandoned once `signal` aborts. */
export function runInvocation<T>(signal: AbortSignal, handle: () => T): T {
  return invocation.run(signal, handle)
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
  if (invocation.getStore()?.aborted) throw new InvocationAbandonedError()
}
