import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import { ErrorCode, MAX_BODY_BYTES, type ErrorBody } from '../../contracts/errors.ts'
import { Role, type Principal } from '../../contracts/principal.ts'
import { asDatabaseUnavailable } from '../db/unavailable.ts'
import {
  BadRequestError,
  clipIssueText,
  HttpError,
  issuePathSegment,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from './errors.ts'
import { logLater } from './log-later.ts'
import { secretsReady } from './secrets.ts'
import { assertSessionLive } from './session-guard.ts'
import type { VerifiedToken } from './tokens.ts'
import { firstUse } from './first-use.ts'

/** What every route function receives: the raw event plus the work the wrapper did. */
export interface RouteRequest {
  event: APIGatewayProxyEventV2
  context: Context
  requestId: string
  /** Parsed JSON body, nested at most {@link MAX_BODY_NESTING} levels; `undefined` when the request had none. */
  body: unknown
  params: Readonly<Record<string, string | undefined>>
  query: Readonly<Record<string, string | undefined>>
  /** The client's address as API Gateway (or the local gateway) saw it. */
  sourceIp: string
}

/** What a route declared with `auth: true` receives: the verified caller too. */
export interface AuthedRequest extends RouteRequest {
  user: Principal
  /** The verified bearer token (its key and expiry, e.g. for logout). */
  token: VerifiedToken
}

export type RouteResult = Promise<APIGatewayProxyStructuredResultV2>

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

/**
 * A JSON response, never to be kept by a cache between the API and the
 * browser (`no-store`): answers carry tokens (sign-in) and one user's data.
 */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return jsonText(statusCode, JSON.stringify(body), headers)
}

/** {@link json} for a body that is JSON text already (a function's answer, made once and kept for repeats). */
export function jsonText(statusCode: number, text: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: text,
  }
}

/** A request header by its lower-case name. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway v2 lower-cases header names; be lenient for hand-made events.
  const headers = event.headers ?? {}
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1]
}

function rawBody(event: APIGatewayProxyEventV2): Buffer | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES)
  return raw
}

/**
 * How deeply a JSON body may nest objects and arrays, the body itself being
 * the first level: a deeper body is refused with 422 before any handler sees
 * it. The rethinkdb driver builds no query from a value nested 20 levels
 * (`r.expr`'s limit, which counts the levels it wraps a write in: 19 is the
 * deepest body an insert or a PATCH stores), and recursive code (a
 * `z.json()` input, `JSON.stringify` of a function's answer) overflows the
 * stack a few thousand levels down. 16 leaves room below both.
 */
export const MAX_BODY_NESTING = 16

/** An object or array met while walking a body, and the way to it. */
interface Nested {
  value: object
  depth: number
  key?: string
  parent?: Nested
}

/**
 * The path (`a.b.0.c`) to the first object or array in `body`, in document
 * order, nested deeper than {@link MAX_BODY_NESTING}; `undefined` if none.
 * An explicit stack, not recursion, stopping at the first level too deep:
 * JSON.parse reads a 64 KiB body of `[[[[…` (32,768 levels), which a
 * recursive walk would overflow on.
 */
function tooDeeplyNested(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const pending: Nested[] = [{ value: body, depth: 1 }]
  for (let nested = pending.pop(); nested !== undefined; nested = pending.pop()) {
    if (nested.depth > MAX_BODY_NESTING) return pathOf(nested)
    const entries = Object.entries(nested.value)
    // Pushed last first, so that the first popped is the first in the body.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i]!
      if (typeof value === 'object' && value !== null) pending.push({ value, depth: nested.depth + 1, key, parent: nested })
    }
  }
  return undefined
}

/** The dotted path of `nested`, written as every issue's path is. */
function pathOf(nested: Nested): string {
  const segments: string[] = []
  for (let at: Nested | undefined = nested; at?.key !== undefined; at = at.parent) segments.push(issuePathSegment(at.key))
  return segments.reverse().join('.')
}

function parseBody(event: APIGatewayProxyEventV2, raw: Buffer | undefined): unknown {
  if (raw === undefined) return undefined
  const type = header(event, 'content-type')
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpError(ErrorCode.unsupportedMediaType, 'request body must be application/json')
  }
  // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read wrongly and stored so.
  const charset = type && /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(ErrorCode.unsupportedMediaType, `request body must be JSON in UTF-8, not ${charset.slice(0, 40)}`)
  }
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch (error) {
    throw new BadRequestError('request body is not valid JSON', { cause: error })
  }
  const path = tooDeeplyNested(body)
  // Not through validation.ts, which would bring zod into every handler's first load.
  if (path !== undefined)
    throw new ValidationError([{ path: clipIssueText(path), message: `nested deeper than ${MAX_BODY_NESTING} levels` }])
  return body
}

/** Turns any thrown value into the error response; 5xx never reveal internals. */
export async function errorResponse(error: unknown, requestId: string): Promise<APIGatewayProxyStructuredResultV2> {
  const unavailable = asDatabaseUnavailable(error)
  if (unavailable) {
    const cause = error
    await logLater((log) => log.warn({ requestId, err: cause }, unavailable.message))
    error = unavailable
  }
  if (error instanceof HttpError && error.expose) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } }
    if (error.details !== undefined) body.error.details = error.details
    const headers: Record<string, string> = { 'x-request-id': requestId }
    if (error instanceof UnauthorizedError) headers['www-authenticate'] = 'Bearer'
    if (error instanceof ServiceUnavailableError) headers['retry-after'] = '1'
    if (error instanceof TooManyRequestsError) headers['retry-after'] = String(error.retryAfterSeconds)
    return json(error.status, body, headers)
  }
  await logLater((log) => log.error({ requestId, err: error }, 'request failed'))
  const body: ErrorBody = { error: { code: ErrorCode.internal, message: 'internal error', requestId } }
  return json(500, body, { 'x-request-id': requestId })
}

/**
 * Wraps a route function into a Lambda handler. Written once for every
 * handler: request id, body size limit, JSON parsing (and its nesting limit), bearer-token
 * verification (and the session checks: not signed out, user not deleted,
 * no service token over HTTP), and errors → responses.
 *
 * @example
 * export const handler = route({ auth: true }, async ({ user }) => json(200, { user }))
 */
export function route(options: { auth: false }, fn: (request: RouteRequest) => RouteResult): LambdaHandler
export function route(options: { auth: true }, fn: (request: AuthedRequest) => RouteResult): LambdaHandler
export function route(options: { auth: boolean }, fn: (request: AuthedRequest) => RouteResult): LambdaHandler {
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? crypto.randomUUID()
    try {
      // A deployed Lambda reads its JWT secret once, before anything reads
      // the configuration (server/lib/secrets.ts); elsewhere a no-op.
      await secretsReady()
      // Cheapest checks first: size, then identity, then parsing.
      const raw = rawBody(event)
      const token = options.auth ? await authenticate(event) : undefined
      const body = parseBody(event, raw)
      const request = {
        event,
        context,
        requestId,
        body,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        sourceIp: event.requestContext?.http?.sourceIp ?? '',
        ...(token ? { user: token.principal, token } : {}),
      }
      const response = await fn(request as AuthedRequest)
      response.headers = { 'x-request-id': requestId, ...response.headers }
      return response
    } catch (error) {
      return errorResponse(error, requestId)
    }
  }
}

/** `tokens.ts`, loaded by the first request that checks a token. */
const tokens = firstUse(() => import('./tokens.ts'))

/** The verified caller of `event` (401 without a valid token), as `route({ auth: true })` checks it. */
export async function authenticate(event: APIGatewayProxyEventV2): Promise<VerifiedToken> {
  // Loaded by the first request that needs it, not at a Lambda's init: the
  // verifier and jsonwebtoken (with node:crypto and node:stream) are most of
  // a handler's import time, and a request refused before this never needs them.
  const { bearerToken, defaultVerifier } = await tokens()
  const token = await defaultVerifier().verify(bearerToken(header(event, 'authorization')))
  // The bridge's service identity exists for deepstream only; over HTTP it would read every room.
  if (token.principal.role === Role.service) throw new UnauthorizedError('service tokens are not accepted by the HTTP API')
  await assertSessionLive(token)
  return token
}
