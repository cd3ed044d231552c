import type { IncomingMessage } from 'node:http'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'

/** A route key compiled for matching, e.g. `GET /collections/{name}`. */
export interface CompiledRoute<T> {
  method: string
  routeKey: string
  pattern: RegExp
  names: string[]
  target: T
}

export function compileRoute<T>(routeKey: string, target: T): CompiledRoute<T> {
  const [method, path] = routeKey.split(' ') as [string, string]
  const names: string[] = []
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      names.push(param[1] as string)
      return '([^/]+)'
    })
    .join('/')
  return { method, routeKey, pattern: new RegExp(`^${source}$`), names, target }
}

/** The route for `method path`: a match, `'method'` when only the method differs, or `undefined`. */
export function matchRoute<T>(
  routes: readonly CompiledRoute<T>[],
  method: string,
  path: string,
): { route: CompiledRoute<T>; params: Record<string, string> } | 'method' | undefined {
  let pathMatched = false
  for (const route of routes) {
    const match = route.pattern.exec(path)
    if (!match) continue
    pathMatched = true
    if (route.method !== method) continue
    let params: Record<string, string>
    try {
      params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] as string)]))
    } catch {
      return undefined
    }
    return { route, params }
  }
  return pathMatched ? 'method' : undefined
}

/** The methods the routes answer on `path`, for a 405's `Allow` header (RFC 9110, 15.5.6). */
export function allowedMethods<T>(routes: readonly CompiledRoute<T>[], path: string): string[] {
  return [...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))]
}

const TEXT_TYPES = /^(application\/(.+\+)?json|text\/|application\/x-www-form-urlencoded)/i

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event for a Node
 * request, as API Gateway would: lower-case headers joined with commas,
 * repeated query parameters joined with commas, cookies split out, and a
 * base64 body unless it is text.
 */
export function toApiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  routeKey: string,
  pathParameters: Record<string, string>,
  body: Buffer,
  requestId: string,
  now = new Date(),
  /** The client's address when a trusted balancer forwarded the request (default: the socket's peer). */
  sourceIp?: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue
    headers[name] = Array.isArray(value) ? value.join(',') : value
  }
  const query: Record<string, string> = {}
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value
  const cookies = request.headers.cookie?.split(/;\s*/).filter(Boolean)
  const contentType = headers['content-type'] ?? ''
  const isText = body.length === 0 || TEXT_TYPES.test(contentType)
  const method = request.method ?? 'GET'
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] as string,
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: sourceIp ?? request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  }
}

/** A Lambda-like context with a deadline. */
export function lambdaContext(functionName: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}
