import type { Doc, ErrorBody } from '../../contracts/index.ts'

/**
 * An HTTP call that failed: the server's `{ error: { code, message, details } }`
 * plus the status, or a client-side failure (`network`, `timeout`, status 0).
 *
 * @example
 * kit.login('alice', 'wrong').catch((error) => {
 *   if (error instanceof UnauthorizedError) form.showError(error.message)
 * })
 */
export class HttpError extends Error {
  override name = 'HttpError'

  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }

  /** Whether repeating the same request later may succeed (network trouble, 502–504). */
  get transient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504
  }
}

/** 400: the request was malformed. */
export class BadRequestError extends HttpError {
  override name = 'BadRequestError'
}

/** 401: no valid token; the kit signs out. */
export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError'
}

/** 403: the rules do not let this user do that (e.g. edit someone else's message). */
export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError'
}

/** 404: no such collection or document. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError'
}

/** 409: `expectedVersion` was stale (or a username is taken); see {@link ConflictError.current}. */
export class ConflictError extends HttpError {
  override name = 'ConflictError'

  /** The document as the server has it now, from `details.current`. */
  get current(): Doc | undefined {
    const details = this.details as { current?: Doc } | undefined
    return details?.current ?? undefined
  }
}

/** 422: a field is invalid; `details.issues` lists `{ path, message }`. */
export class ValidationError extends HttpError {
  override name = 'ValidationError'
}

/** 413: the body is too large. */
export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError'
}

/** 5xx: the server failed. */
export class ServerError extends HttpError {
  override name = 'ServerError'
}

/** The server could not be reached (DNS, refused, reset, CORS). Status 0. */
export class NetworkError extends HttpError {
  override name = 'NetworkError'
  constructor(message: string, options?: ErrorOptions) {
    super('network', message, 0, undefined, options)
  }
}

/** No answer within the timeout. Status 0: the request may or may not have been applied. */
export class TimeoutError extends HttpError {
  override name = 'TimeoutError'
  constructor(message: string, options?: ErrorOptions) {
    super('timeout', message, 0, undefined, options)
  }
}

const BY_STATUS: Readonly<Record<number, typeof HttpError>> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: ValidationError,
}

/**
 * The typed error for a non-2xx response. Bodies that are not the API's error
 * shape (a proxy's HTML page, say) still give a useful message.
 *
 * @example
 * errorFromResponse(409, { error: { code: 'conflict', message: 'stale', details: { current } } }) // ConflictError
 */
export function errorFromResponse(status: number, body: unknown): HttpError {
  const error = (body as Partial<ErrorBody> | undefined)?.error
  const code = typeof error?.code === 'string' ? error.code : status >= 500 ? 'internal' : 'http_error'
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`
  const Kind = BY_STATUS[status] ?? (status >= 500 ? ServerError : HttpError)
  return new Kind(code, message, status, error?.details)
}
