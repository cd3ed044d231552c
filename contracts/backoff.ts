/**
 * The one backoff of the kit, for the client (HTTP retries, offline retries)
 * and the server (the bridge's reconnections) alike.
 */

/** Bounds of a reconnection backoff. */
export interface BackoffPolicy {
  /** Delay before the first retry, ms. */
  initialMs: number
  /** No delay is longer than this, ms. */
  maxMs: number
}

/** Retry quickly at first, then settle at a few seconds. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 5_000 }

/**
 * Delay before retry number `attempt` (0-based): exponential, capped at
 * `maxMs`, with "equal jitter" (half fixed, half random) so that many bridges
 * losing the same database do not reconnect in lockstep, yet none retries
 * immediately in a tight loop.
 *
 * @example
 * backoffDelay(0, { initialMs: 100, maxMs: 5000 }) // 50–100
 * backoffDelay(10, { initialMs: 100, maxMs: 5000 }) // 2500–5000
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30))
  return ceiling / 2 + (random() * ceiling) / 2
}
