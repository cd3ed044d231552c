/**
 * The error body every HTTP route returns on failure, and the codes it uses.
 *
 * @example
 * { "error": { "code": "conflict", "message": "version 3 expected, found 4", "details": { "current": {…} } } }
 */
export const ErrorCode = {
  badRequest: 'bad_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  conflict: 'conflict',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  validationFailed: 'validation_failed',
  tooManyRequests: 'too_many_requests',
  internal: 'internal',
  unavailable: 'unavailable',
  timeout: 'timeout',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** The HTTP status each code is sent with. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
  timeout: 504,
}

/**
 * One field problem in a `validation_failed` error's `details.issues`. The
 * server lists at most 20 (each path and message at most 200 characters);
 * `details.omitted`, when present, counts the issues it left out.
 */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `title`; empty for the whole body. */
  path: string
  message: string
}

export interface ErrorBody {
  error: {
    code: ErrorCode
    message: string
    details?: unknown
    /** Present on 5xx so operators can find the log line. */
    requestId?: string
  }
}

/** Maximum accepted request body, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024
