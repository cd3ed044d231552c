import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs'
import { backoffDelay } from '../../contracts/index.ts'
import { HttpError } from './http-errors.ts'

/** How often and how patiently to repeat a failed idempotent request. */
export interface RetryPolicy {
  /** Extra attempts after the first (0 disables retrying). */
  readonly retries: number
  /** Delay before the first retry, ms; doubles each time (half fixed, half random: "equal jitter"). */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 2, baseDelayMs: 250, maxDelayMs: 4000 }

/** Delay before retry number `attempt` (1-based): the kit's one backoff (`contracts/backoff.ts`). */
export function retryDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number, random = Math.random): number {
  return Math.round(backoffDelay(attempt - 1, { initialMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, random))
}

/**
 * Retries only transient failures (no connection, timeout, 502–504). A 4xx
 * is an answer, never retried; neither is a 500, which would most likely
 * fail the same way again.
 *
 * @example
 * request$.pipe(retryTransient(DEFAULT_RETRY_POLICY))
 */
export function retryTransient<T>(policy: RetryPolicy): MonoTypeOperatorFunction<T> {
  return retry({
    count: policy.retries,
    delay: (error: unknown, attempt: number) =>
      error instanceof HttpError && error.transient ? timer(retryDelay(policy, attempt)) : throwError(() => error),
  })
}
