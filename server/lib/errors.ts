import { ErrorCode, STATUS_OF, type FieldIssue } from '../../contracts/errors.ts'

/** Whether an error of `code` is told to the client: 5xx are not, except "unavailable" (the client must know to retry) and a timeout. */
function exposed(code: ErrorCode): boolean {
  return STATUS_OF[code] < 500 || code === ErrorCode.unavailable || code === ErrorCode.timeout
}

/**
 * An error a handler may throw on purpose. `expose` says whether its message
 * is safe to send to the client (see {@link exposed}). An exposed one is an
 * answer, not a fault: it has no stack, which nothing reads (`errorResponse`
 * logs only the others) and whose capture was a good part of answering a
 * flood of refused sign-ins.
 */
export class HttpError extends Error {
  declare readonly code: ErrorCode
  declare readonly details: unknown
  readonly status: number
  readonly expose: boolean

  // Fields assigned in the body rather than declared as parameters: TypeScript allows the
  // try/finally around `super` only then, and the limit must come back whatever `super` does.
  constructor(code: ErrorCode, message: string, details?: unknown, options?: ErrorOptions) {
    const stackTraceLimit = Error.stackTraceLimit
    if (exposed(code)) Error.stackTraceLimit = 0
    try {
      super(message, options)
    } finally {
      Error.stackTraceLimit = stackTraceLimit
    }
    this.name = 'HttpError'
    this.code = code
    this.details = details
    this.status = STATUS_OF[code]
    this.expose = exposed(code)
  }
}

export class BadRequestError extends HttpError {
  override name = 'BadRequestError'
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.badRequest, message, undefined, options)
  }
}

export class UnauthorizedError extends HttpError {
  override name = 'UnauthorizedError'
  constructor(message = 'a valid bearer token is required', options?: ErrorOptions) {
    super(ErrorCode.unauthorized, message, undefined, options)
  }
}

export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError'
  constructor(message: string) {
    super(ErrorCode.forbidden, message)
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError'
  constructor(message: string) {
    super(ErrorCode.notFound, message)
  }
}

export class ConflictError extends HttpError {
  override name = 'ConflictError'
  /**
   * @param current the stored document, when the caller may see it
   * @param extra more details, e.g. `{ deleted: { id, version } }`
   */
  constructor(message: string, current?: unknown, extra?: Record<string, unknown>) {
    const details = { ...(current === undefined ? {} : { current }), ...extra }
    super(ErrorCode.conflict, message, Object.keys(details).length ? details : undefined)
  }
}

export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError'
  constructor(limit: number) {
    super(ErrorCode.payloadTooLarge, `request body exceeds ${limit} bytes`)
  }
}

/** How many characters of an issue's path or message a 422 repeats: a key may be most of a 64 KiB body. */
const MAX_ISSUE_TEXT = 200

/** A key as one segment of an issue's dotted path: quoted when empty or holding a dot, which bare would read as the whole body or a nested field. */
export function issuePathSegment(key: string): string {
  return key === '' || key.includes('.') ? JSON.stringify(key) : key
}

/** `text` cut to {@link MAX_ISSUE_TEXT} characters, the cut marked with an ellipsis. */
export function clipIssueText(text: string): string {
  return text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text
}

export class ValidationError extends HttpError {
  override name = 'ValidationError'
  /** @param omitted how many issues beyond `issues` were found and not listed */
  constructor(issues: FieldIssue[], omitted = 0) {
    const listed = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
    super(ErrorCode.validationFailed, omitted ? `${listed}; and ${omitted} more` : listed, omitted ? { issues, omitted } : { issues })
  }
}

/**
 * The database cannot be reached (connection refused, dropped or closed).
 * Answered with 503 so clients keep the request queued and retry.
 */
export class ServiceUnavailableError extends HttpError {
  override name = 'ServiceUnavailableError'
  constructor(message: string, options?: ErrorOptions) {
    super(ErrorCode.unavailable, message, undefined, options)
  }
}

/** Too many attempts (sign-in throttling): 429 with `Retry-After`. */
export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError'
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(ErrorCode.tooManyRequests, message, { retryAfterSeconds })
  }
}
