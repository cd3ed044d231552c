/**
 * Where a kit embedded in a host app gets its tokens: the host's backend
 * signs them for its own signed-in user (see README, "Signing in your own
 * users"). Either a URL, fetched with the page's cookies and answering
 * `{ "token": "…" }` (401 or 403 when nobody is signed in), or a function
 * returning the token (or `{ token }`), `null` when nobody is signed in.
 *
 * @example
 * createKit({ apiUrl, realtimeUrl, authEndpoint: '/rtkit/token' })
 * createKit({ apiUrl, realtimeUrl, authEndpoint: async () => (await myAuth.getToken()) ?? null })
 */
export type AuthEndpoint = string | (() => Promise<string | { token: string } | null | undefined>)

/** The host's endpoint answered something other than a token or a sign-out. */
export class HostTokenError extends Error {
  override name = 'HostTokenError'
}

/** A fresh token from the host, or `null` when the host has nobody signed in. */
export type HostTokenSource = () => Promise<string | null>

/**
 * Turns an {@link AuthEndpoint} into a {@link HostTokenSource}. A URL is
 * fetched with `credentials: 'include'`; 401 and 403 mean signed out, any
 * other failure (network, 5xx, a body without a token) throws, so the kit
 * keeps its session and tries again.
 */
export function hostTokenSource(endpoint: AuthEndpoint, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): HostTokenSource {
  if (typeof endpoint === 'function') {
    return async () => {
      const result = await endpoint()
      if (result === null || result === undefined) return null
      return tokenOf(typeof result === 'string' ? { token: result } : result)
    }
  }
  const request = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  return async () => {
    const response = await request(endpoint, {
      credentials: 'include',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
    if (response.status === 401 || response.status === 403) return null
    if (!response.ok) throw new HostTokenError(`the auth endpoint answered ${response.status}`)
    return tokenOf(await response.json().catch(() => undefined))
  }
}

function tokenOf(body: unknown): string {
  const token = (body as { token?: unknown } | undefined)?.token
  if (typeof token !== 'string' || token.split('.').length !== 3)
    throw new HostTokenError('the auth endpoint did not answer { "token": "<jwt>" }')
  return token
}

/**
 * The `exp` (seconds since the epoch) and `sub` of a JWT, read without
 * verifying: the server verifies; the kit only needs to know when to fetch
 * a fresh token, and whether it still names the same user.
 */
export function tokenClaims(token: string): { exp?: number; sub?: string } {
  try {
    const payload = token.split('.')[1] ?? ''
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    )
    const { exp, sub } = JSON.parse(json) as { exp?: unknown; sub?: unknown }
    return { ...(typeof exp === 'number' ? { exp } : {}), ...(typeof sub === 'string' ? { sub } : {}) }
  } catch {
    return {}
  }
}

/**
 * When to fetch the next token: a fifth of the remaining lifetime before
 * `expiresAt`, at most a minute before, so that a refresh that fails can be
 * tried again before the session ends. Milliseconds from `nowMs`.
 */
export function refreshDelayMs(expiresAt: number, nowMs: number): number {
  const remaining = expiresAt * 1000 - nowMs
  return Math.max(0, remaining - Math.min(60_000, remaining / 5))
}
