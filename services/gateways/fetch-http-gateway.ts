import { Observable, map } from 'rxjs'
import {
  IDEMPOTENCY_KEY_HEADER,
  paths,
  type CollectionsAnswer,
  type Doc,
  type FunctionAnswer,
  type Page,
  type Session,
  type UserProfile,
} from '../../contracts/index.ts'
import { NetworkError, TimeoutError, errorFromResponse } from './http-errors.ts'
import type { HttpGateway, PartitionRef, Removed } from './http-gateway.ts'
import { DEFAULT_RETRY_POLICY, retryTransient, type RetryPolicy } from './retry-policy.ts'

/** Dependencies and settings of {@link FetchHttpGateway}. */
export interface FetchHttpGatewayOptions {
  /** API base URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string
  /** The current bearer token; read at each request so a new login takes effect at once. */
  token: () => string | null
  /** Per-attempt timeout, ms (default 10 000). */
  timeoutMs?: number
  retry?: RetryPolicy
  /** Defaults to the global `fetch` (browsers, Node ≥ 18). */
  fetch?: typeof fetch
}

interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  auth: boolean
  /** A token to send instead of the session's (checking a host token before signing in with it). */
  token?: string
  /** Whether a transient failure may be retried; see the class comment. */
  retry: boolean
  headers?: Record<string, string>
}

/**
 * {@link HttpGateway} over `fetch`: JSON in and out, bearer token, typed
 * errors, a timeout per attempt, and retries with backoff for transient
 * failures of requests that are safe to repeat.
 *
 * What is safe to repeat, given how the server is built:
 * - `GET` and `POST /auth/login` change nothing.
 * - `POST /collections/:name` carries the client's id; a repeat returns the
 *   stored document (200) instead of inserting twice.
 * - `PATCH` carries `expectedVersion`: if the first attempt was applied, the
 *   repeat gets 409, never a second write (the command layer recognises its
 *   own write in the conflict's `current`).
 * - `DELETE` of a document already deleted answers 404 (the command layer
 *   counts that as done).
 * - `POST /functions/:name` is repeated only with an idempotency key: the
 *   server then answers a repeat with the first call's answer.
 * - `POST /auth/register` is not repeated: a lost response would turn into a
 *   misleading "username taken".
 *
 * @example
 * const http = new FetchHttpGateway({ baseUrl: 'http://127.0.0.1:3000', token: () => session?.token ?? null })
 * http.list({ collection: 'tasks', key: 'board', value: 'launch' }).subscribe((page) => page.items)
 */
export class FetchHttpGateway implements HttpGateway {
  readonly #fetch: typeof fetch
  readonly #timeoutMs: number
  readonly #retry: RetryPolicy

  constructor(private readonly options: FetchHttpGatewayOptions) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY
  }

  login(username: string, password: string): Observable<Session> {
    return this.#send({ method: 'POST', path: paths.login, body: { username, password }, auth: false, retry: true })
  }

  register(username: string, password: string, name: string): Observable<Session> {
    return this.#send({ method: 'POST', path: paths.register, body: { username, password, name }, auth: false, retry: false })
  }

  me(token?: string): Observable<{ user: UserProfile }> {
    return this.#send({ method: 'GET', path: paths.me, auth: true, retry: true, ...(token ? { token } : {}) })
  }

  logout(): Observable<unknown> {
    return this.#send({ method: 'POST', path: paths.logout, auth: true, retry: false })
  }

  users(ids: readonly string[]): Observable<{ users: UserProfile[] }> {
    return this.#send({ method: 'GET', path: paths.users, query: { ids: ids.join(',') }, auth: true, retry: true })
  }

  collections(): Observable<CollectionsAnswer> {
    return this.#send({ method: 'GET', path: paths.collections, auth: true, retry: true })
  }

  list(partition: PartitionRef, page: { limit?: number; cursor?: string | null } = {}): Observable<Page<Doc>> {
    const query = { [partition.key]: partition.value, limit: page.limit, cursor: page.cursor ?? undefined }
    return this.#send({ method: 'GET', path: paths.collection(partition.collection), query, auth: true, retry: true })
  }

  insert(collection: string, doc: Readonly<Record<string, unknown>> & { id: string }): Observable<Doc> {
    return this.#send({ method: 'POST', path: paths.collection(collection), body: doc, auth: true, retry: true })
  }

  update(collection: string, id: string, expectedVersion: number, patch: Readonly<Record<string, unknown>>): Observable<Doc> {
    const body = { ...patch, expectedVersion }
    return this.#send({ method: 'PATCH', path: paths.document(collection, id), body, auth: true, retry: true })
  }

  remove(collection: string, id: string, expectedVersion?: number): Observable<Removed> {
    return this.#send({ method: 'DELETE', path: paths.document(collection, id), query: { expectedVersion }, auth: true, retry: true })
  }

  call(name: string, input: unknown, options: { idempotencyKey?: string } = {}): Observable<unknown> {
    const key = options.idempotencyKey
    const headers: Record<string, string> = key ? { [IDEMPOTENCY_KEY_HEADER]: key } : {}
    // A body of `undefined` would be sent as none; `null` is the JSON for "no input".
    const body = input === undefined ? null : input
    return this.#send<FunctionAnswer>({
      method: 'POST',
      path: paths.function(name),
      body,
      headers,
      auth: true,
      retry: key !== undefined,
    }).pipe(map((answer) => answer.result))
  }

  #send<T>(request: Request): Observable<T> {
    const attempt = new Observable<T>((subscriber) => {
      const abort = new AbortController()
      let timedOut = false
      /** Answered or failed: the teardown has nothing left to abort (an abort costs an exception and an event). */
      let over = false
      const timer = setTimeout(() => {
        timedOut = true
        abort.abort()
      }, this.#timeoutMs)
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers }
      const token = request.auth ? (request.token ?? this.options.token()) : null
      if (token) headers.authorization = `Bearer ${token}`
      let body: string | undefined
      if (request.body !== undefined) {
        body = JSON.stringify(request.body)
        headers['content-type'] = 'application/json'
      }
      const init: RequestInit = { method: request.method, headers, signal: abort.signal }
      if (body !== undefined) init.body = body
      this.#fetch(this.#url(request), init)
        .then(async (response) => {
          const text = await response.text()
          let parsed: unknown
          try {
            parsed = text ? JSON.parse(text) : undefined
          } catch {
            parsed = undefined
          }
          if (!response.ok) throw errorFromResponse(response.status, parsed)
          return parsed as T
        })
        .then(
          (value) => {
            over = true
            subscriber.next(value)
            subscriber.complete()
          },
          (error: unknown) => {
            over = true
            if (abort.signal.aborted && !timedOut) return // unsubscribed: nobody listens
            subscriber.error(this.#classify(error, request, timedOut))
          },
        )
        .finally(() => clearTimeout(timer))
      return () => {
        clearTimeout(timer)
        if (!over) abort.abort()
      }
    })
    return request.retry ? attempt.pipe(retryTransient(this.#retry)) : attempt
  }

  #url(request: Request): string {
    const url = new URL(request.path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`)
    // `paths` are absolute; keep any path prefix of the base URL (e.g. an API Gateway stage).
    url.pathname = new URL(this.options.baseUrl).pathname.replace(/\/$/, '') + request.path
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value))
    }
    return url.toString()
  }

  #classify(error: unknown, request: Request, timedOut: boolean): unknown {
    const what = `${request.method} ${request.path}`
    if (timedOut) return new TimeoutError(`${what}: no answer within ${this.#timeoutMs} ms`, { cause: error })
    // fetch rejects with a TypeError when it cannot connect; our own errors pass through.
    if (error instanceof TypeError) return new NetworkError(`${what}: server unreachable`, { cause: error })
    return error
  }
}
