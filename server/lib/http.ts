import { randomUUID } from 'node:crypto'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda'
import { ErrorCode, MAX_BODY_BYTES, type ErrorBody } from '../../contracts/errors.ts'
import type { Principal } from '../../contracts/principal.ts'
import { asDatabaseUnavailable } from '../db/unavailable.ts'
import { BadRequestError, HttpError, PayloadTooLargeError, ServiceUnavailableError, UnauthorizedError } from './errors.ts'
import { log } from './log.ts'
import { secretsReady } from './secrets.ts'
import { bearerToken, verifyToken } from './tokens.ts'

/** What a route function receives: the raw event plus the work the wrapper did. */
export interface RouteRequest {
  event: APIGatewayProxyEventV2
  context: Context
  requestId: string
  /** The verified caller; set on routes with `auth: true`. */
  user: Principal | undefined
  /** Parsed JSON body; `undefined` when the request had none. */
  body: unknown
  params: Readonly<Record<string, string | undefined>>
  query: Readonly<Record<string, string | undefined>>
}

export interface RouteOptions {
  /** Require a valid bearer token (default `true`). */
  auth?: boolean
}

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  }
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
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

function parseBody(event: APIGatewayProxyEventV2, raw: Buffer | undefined): unknown {
  if (raw === undefined) return undefined
  const type = header(event, 'content-type')
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new HttpError(ErrorCode.unsupportedMediaType, 'request body must be application/json')
  }
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch (error) {
    throw new BadRequestError('request body is not valid JSON', { cause: error })
  }
}

/** Turns any thrown value into the error response; 5xx never reveal internals. */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  const unavailable = asDatabaseUnavailable(error)
  if (unavailable) {
    log.warn({ requestId, err: error }, unavailable.message)
    error = unavailable
  }
  if (error instanceof HttpError && error.expose) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } }
    if (error.details !== undefined) body.error.details = error.details
    const headers: Record<string, string> = { 'x-request-id': requestId }
    if (error instanceof UnauthorizedError) headers['www-authenticate'] = 'Bearer'
    if (error instanceof ServiceUnavailableError) headers['retry-after'] = '1'
    return json(error.status, body, headers)
  }
  log.error({ requestId, err: error }, 'request failed')
  const body: ErrorBody = { error: { code: ErrorCode.internal, message: 'internal error', requestId } }
  return json(500, body, { 'x-request-id': requestId })
}

/**
 * Wraps a route function into a Lambda handler. Written once for every
 * handler: request id, body size limit, JSON parsing, bearer-token
 * verification, and errors → responses.
 *
 * @example
 * export const handler = route({ auth: true }, async ({ user }) => json(200, { user }))
 */
export function route(options: RouteOptions, fn: (request: RouteRequest) => Promise<APIGatewayProxyStructuredResultV2>): LambdaHandler {
  const auth = options.auth ?? true
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? randomUUID()
    try {
      // A deployed Lambda reads its JWT secret once, before anything reads
      // the configuration (server/lib/secrets.ts); elsewhere a no-op.
      await secretsReady()
      // Cheapest checks first: size, then identity, then parsing.
      const raw = rawBody(event)
      const user = auth ? verifyToken(bearerToken(header(event, 'authorization'))) : undefined
      const body = parseBody(event, raw)
      const response = await fn({
        event,
        context,
        requestId,
        user,
        body,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
      })
      response.headers = { 'x-request-id': requestId, ...response.headers }
      return response
    } catch (error) {
      return errorResponse(error, requestId)
    }
  }
}

/** The verified caller of a route declared with `auth: true`. */
export function caller(request: RouteRequest): Principal {
  if (!request.user) throw new UnauthorizedError()
  return request.user
}
