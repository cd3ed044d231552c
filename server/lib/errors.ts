import { ErrorCode, STATUS_OF, type FieldIssue } from '../../contracts/errors.ts'

/**
 * An error a handler may throw on purpose. `expose` says whether its message
 * is safe to send to the client; 5xx errors are never exposed.
 */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly status: number
  readonly expose: boolean

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.status = STATUS_OF[code]
    this.expose = this.status < 500
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
  constructor(message: string, current: unknown) {
    super(ErrorCode.conflict, message, { current })
  }
}

export class PayloadTooLargeError extends HttpError {
  override name = 'PayloadTooLargeError'
  constructor(limit: number) {
    super(ErrorCode.payloadTooLarge, `request body exceeds ${limit} bytes`)
  }
}

export class ValidationError extends HttpError {
  override name = 'ValidationError'
  constructor(issues: FieldIssue[]) {
    super(ErrorCode.validationFailed, issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), { issues })
  }
}
