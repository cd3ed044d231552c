import { randomUUID } from 'node:crypto'
import { createServer, maxHeaderSize, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { APIGatewayProxyResultV2 } from 'aws-lambda'
import { ErrorCode, MAX_BODY_BYTES, STATUS_OF, type ErrorBody } from '../../contracts/errors.ts'
import { findFunction } from '../functions/registry.ts'
import { Invocation, runInvocation } from '../lib/invocation.ts'
import { log } from '../lib/log.ts'
import { answerOps, type OpsEndpoints } from '../ops/ops-endpoints.ts'
import { secondsSince, signals, UNMATCHED_ROUTE, type HttpRequestSignal } from '../ops/signals.ts'
import { handlerModules, routeTable, type HandlerName } from '../routes.ts'
import { allowedMethods, compileRoute, lambdaContext, matchRoute, toApiGatewayEvent } from './events.ts'

export interface GatewayOptions {
  host: string
  port: number
  /** `Access-Control-Allow-Origin`; empty disables CORS headers. */
  corsOrigin: string
  /** Lambda-like timeout per invocation. */
  timeoutMs: number
  /**
   * Take the client's address from `X-Forwarded-For`: `true` behind a
   * trusted balancer only; `'loopback'` only when the peer is on this machine
   * (a proxy beside the gateway, such as the demo page's), so a remote
   * client reaching the gateway directly cannot choose its address.
   */
  trustProxy?: boolean | 'loopback'
  /** Connection limits; the defaults suit a public endpoint. */
  limits?: Partial<ConnectionLimits>
  /** `GET /ready` and `GET /metrics` of this process (`server/ops/`); without it, both are 404. */
  ops?: OpsEndpoints
}

/**
 * What the gateway grants one connection, so that slow or idle clients
 * (slowloris) cannot hold its sockets: the headers must arrive within
 * `headersTimeoutMs`, the whole request within `requestTimeoutMs`, an idle
 * keep-alive connection closes after `keepAliveTimeoutMs`, and at most
 * `maxConnections` are open at once (more are refused at accept).
 */
export interface ConnectionLimits {
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  maxConnections: number
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
}

export interface RunningGateway {
  readonly url: string
  /**
   * Takes no more connections and lets the open ones finish their requests,
   * each answer closing its connection; resolves once none is open, or after
   * `withinMs`. {@link close} then ends whatever is left.
   */
  drain(withinMs: number): Promise<void>
  close(): Promise<void>
}

/**
 * The gateway's own health check, for a load balancer in front of several
 * gateways (`npm run cluster`'s HAProxy). It belongs to the gateway, not to
 * the route table: a deployment's API Gateway has its own health, and no
 * Lambda should be deployed for it.
 */
export const HEALTH_PATH = '/health'

// The gateway stops reading far beyond the handlers' own limit, like API
// Gateway's payload cap; the handler answers 413 for anything over MAX_BODY_BYTES.
export const GATEWAY_BODY_CAP = MAX_BODY_BYTES * 4

function sendError(response: ServerResponse, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  const body: ErrorBody = { error: { code, message } }
  answer(response, STATUS_OF[code], { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body))
}

/**
 * Writes an answer with its `content-length`, as API Gateway does. Without
 * it, `writeHead` then `end` sends the body chunked: a second write on the
 * socket and chunk framing for the client to parse, on every request.
 */
function answer(response: ServerResponse, status: number, headers: Record<string, string | string[]>, body?: string | Buffer): void {
  // A 204 or 304 carries neither a body nor its length (RFC 9110, 8.6).
  if (status === 204 || status === 304) return void response.writeHead(status, headers).end()
  const bytes = typeof body === 'string' ? Buffer.from(body) : body
  response.writeHead(status, { ...headers, 'content-length': String(bytes?.length ?? 0) })
  response.end(bytes)
}

/** The request body, by `data` events (an async iterator per request costs a write tens of microseconds). */
function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= GATEWAY_BODY_CAP) return void chunks.push(chunk)
      // Keep nothing more; the rest drains (the answer closes the connection).
      request.off('data', onData)
      request.resume()
      resolve('too-large')
    }
    request.on('data', onData)
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    request.once('error', reject)
  })
}

/** An error Node's HTTP server raises for a connection before, or instead of, a request (its 'clientError' event). */
type ClientError = Error & { code?: string; reason?: string }

/**
 * What the gateway answers for a request Node's HTTP parser refused, with
 * Node's own statuses (whose answers carry neither a body nor a request id).
 * The codes are the contract's: a 431 is a `bad_request`, a 408 a `timeout`.
 */
function refusalOf(error: ClientError): { status: number; code: ErrorCode; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: ErrorCode.badRequest, message: `the request line and headers exceed ${maxHeaderSize} bytes` }
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: ErrorCode.payloadTooLarge, message: 'request body chunk extensions are too large' }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: ErrorCode.timeout, message: 'the request did not arrive in time' }
    default: {
      // The parser's reason ("Duplicate Content-Length") is about the client's own bytes, and tells it what to fix.
      const reason = error.code?.startsWith('HPE_') && error.reason ? `: ${error.reason}` : ''
      return { status: 400, code: ErrorCode.badRequest, message: `the request is not valid HTTP/1.1${reason}` }
    }
  }
}

const TIMED_OUT = Symbol('timed out')

/** What `settling` settles with, or {@link TIMED_OUT} after `ms` (one promise and a timer per request, fewer than a race against a timeout promise). */
function withinTimeout<T>(settling: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms)
    settling.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    )
  })
}

function statusOf(result: APIGatewayProxyResultV2): number {
  return typeof result === 'object' && result !== null && 'statusCode' in result ? (result.statusCode ?? 200) : 200
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2, extra: Record<string, string>): void {
  if (typeof result === 'string' || typeof result !== 'object' || result === null || !('statusCode' in result)) {
    // A Lambda may return a bare value; API Gateway sends it as JSON with 200.
    return answer(
      response,
      200,
      { 'content-type': 'application/json', ...extra },
      typeof result === 'string' ? result : JSON.stringify(result),
    )
  }
  const headers: Record<string, string | string[]> = { ...extra }
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value)
  if (result.cookies?.length) headers['set-cookie'] = result.cookies
  answer(
    response,
    result.statusCode ?? 200,
    headers,
    result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
  )
}

/**
 * A local API Gateway (HTTP API, payload 2.0): turns Node HTTP requests into
 * the events Lambda would receive and invokes the same handler modules.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const routes = routeTable.map((entry) => compileRoute<HandlerName>(entry.routeKey, entry.handler))
  // Every answer names the origin and the headers a page may read; what a
  // page may send is the preflight's answer alone, as browsers read it only there.
  const cors: Record<string, string> = options.corsOrigin
    ? { 'access-control-allow-origin': options.corsOrigin, 'access-control-expose-headers': 'x-request-id, idempotent-replayed' }
    : {}
  const preflight: Record<string, string> = options.corsOrigin
    ? {
        ...cors,
        'access-control-allow-headers': 'authorization, content-type, idempotency-key',
        'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
        'access-control-max-age': '600',
      }
    : {}

  // Each module is imported once, as a warm Lambda keeps it: a dynamic
  // import() per request would pay for module resolution every time.
  const loaded = new Map<HandlerName, ReturnType<(typeof handlerModules)[HandlerName]>>()
  const loadHandler = (name: HandlerName) => {
    let module = loaded.get(name)
    if (!module) {
      module = handlerModules[name]()
      loaded.set(name, module)
    }
    return module
  }

  /** Set by `drain`: every answer from then on closes its connection. */
  let draining = false
  /** Requests being answered, so that `drain` can make the ones begun before it close their connections too. */
  const answering = new Set<ServerResponse>()

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID()
    response.setHeader('x-request-id', requestId)
    if (draining) response.setHeader('connection', 'close')
    answering.add(response)
    response.once('close', () => answering.delete(response))
    // The route template once matched; `undefined` for the health, readiness and metrics checks, which are not counted.
    let route: string | undefined = UNMATCHED_ROUTE
    if (signals.httpRequest.hasSubscribers) {
      const start = process.hrtime.bigint()
      response.once('close', () => {
        if (route === undefined) return
        const message: HttpRequestSignal = {
          route,
          method: request.method ?? 'GET',
          status: response.statusCode,
          seconds: secondsSince(start),
        }
        signals.httpRequest.publish(message)
      })
    }
    // Only a path: `//host/path` or `http://host/path` must not be routed by their path part.
    if (!request.url?.startsWith('/') || request.url.startsWith('//')) {
      return sendError(response, ErrorCode.badRequest, 'the request target must be a path starting with a single /', cors)
    }
    const url = new URL(request.url, 'http://gateway.local')
    const method = (request.method ?? 'GET').toUpperCase()
    // A browser's preflight, or a method the path does not take (405), is counted under the path's route, not as unmatched.
    const routeOfPath = (allowed: readonly string[]) => {
      const target = allowed[0] === undefined ? undefined : matchRoute(routes, allowed[0], url.pathname)
      return target !== undefined && target !== 'method' ? metricRoute(target.route.routeKey, target.params) : route
    }
    if (method === 'OPTIONS') {
      route = routeOfPath(allowedMethods(routes, url.pathname))
      return answer(response, 204, preflight)
    }
    if (method === 'GET' && url.pathname === HEALTH_PATH) {
      route = undefined
      answer(response, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...cors }, '{"status":"ok"}')
      return
    }
    if (options.ops) {
      // Unset before answering: the answer may be sent, and counted, before this function goes on.
      route = undefined
      if (await answerOps(request, response, url.pathname, options.ops)) return
      route = UNMATCHED_ROUTE
    }
    const match = matchRoute(routes, method, url.pathname)
    if (match === undefined) return sendError(response, ErrorCode.notFound, `no route for ${method} ${url.pathname}`, cors)
    if (match === 'method') {
      const allowed = allowedMethods(routes, url.pathname)
      route = routeOfPath(allowed)
      const allow = allowed.join(', ')
      return sendError(response, ErrorCode.methodNotAllowed, `${method} is not allowed on ${url.pathname} (${allow})`, { ...cors, allow })
    }
    route = metricRoute(match.route.routeKey, match.params)

    const body = await readBody(request)
    if (body === 'too-large') {
      response.setHeader('connection', 'close')
      return sendError(response, ErrorCode.payloadTooLarge, `request body exceeds ${MAX_BODY_BYTES} bytes`, cors)
    }
    const event = toApiGatewayEvent(request, url, match.route.routeKey, match.params, body, requestId, new Date(), clientAddress(request))
    const context = lambdaContext(match.route.target, requestId, options.timeoutMs)
    const { handler } = await loadHandler(match.route.target)
    // A Lambda that times out is stopped; a promise cannot be. Past the
    // timeout the invocation is abandoned: its next database call throws.
    const invocation = new Invocation()
    const answered = runInvocation(invocation, () => handler(event, context))
    const result = await withinTimeout(answered, options.timeoutMs)
    if (result === TIMED_OUT) {
      invocation.abandon()
      const late = { requestId, route: match.route.routeKey }
      answered.then(
        (lateResult) =>
          log.warn(
            { ...late, status: statusOf(lateResult) },
            'a timed-out handler finished after its 504; its database calls since were refused',
          ),
        (error: unknown) => log.warn({ ...late, err: error }, 'a timed-out handler failed after its 504'),
      )
      return sendError(response, ErrorCode.timeout, `handler did not answer within ${options.timeoutMs} ms`, cors)
    }
    writeResult(response, result, cors)
  }

  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  /** The client's address: the last hop a trusted balancer appended, else the socket's peer. */
  const clientAddress = (request: IncomingMessage): string | undefined => {
    const trusted = options.trustProxy === true || (options.trustProxy === 'loopback' && isLoopback(request.socket.remoteAddress))
    const forwarded = trusted ? request.headers['x-forwarded-for'] : undefined
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim()
    return last || undefined
  }

  const server: Server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node looks for connections past those timeouts.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, limits.headersTimeoutMs / 4)),
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        log.error({ err: error }, 'gateway failure')
        if (!response.headersSent) sendError(response, ErrorCode.internal, 'internal error', cors)
        else response.destroy()
      })
    },
  )
  server.maxConnections = limits.maxConnections

  /**
   * Answers a request Node's HTTP parser refused (headers too large, a
   * malformed header line, two Content-Lengths…) as every other answer is
   * sent: a JSON error body, an `x-request-id`, counted as unmatched. The
   * connection then closes, but lingers (at most the header timeout) while
   * the client still sends: closing on unread bytes would reset the
   * connection, and the client could lose the answer.
   */
  function refuseUnparsed(error: ClientError, socket: Duplex): void {
    // Answered already: the parser reports every later chunk again, until the client closes or the linger ends.
    if (socket.writableEnded) return
    // An answer now would be read as the one to a request still being answered on this connection.
    const underway = [...answering].some((response) => response.socket === socket)
    if (error.code === 'ECONNRESET' || !socket.writable || underway) return void socket.destroy()
    const { status, code, message } = refusalOf(error)
    const body: ErrorBody = { error: { code, message } }
    const bytes = Buffer.from(JSON.stringify(body))
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.length),
      'x-request-id': randomUUID(),
      connection: 'close',
      ...cors,
    }
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n`), bytes]))
    const linger = setTimeout(() => socket.destroy(), limits.headersTimeoutMs).unref()
    socket.once('close', () => clearTimeout(linger))
    if (signals.httpRequest.hasSubscribers) {
      // Never parsed: no method (counted as `other`), and no time of arrival to measure from.
      const signal: HttpRequestSignal = { route: UNMATCHED_ROUTE, method: '', status, seconds: 0 }
      signals.httpRequest.publish(signal)
    }
  }
  server.on('clientError', refuseUnparsed)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()))
  const stopListening = () => {
    if (server.listening) server.close() // also closes the idle keep-alive connections
  }
  return {
    url: `http://${options.host}:${port}`,
    async drain(withinMs) {
      draining = true
      for (const response of answering) if (!response.headersSent) response.setHeader('connection', 'close')
      stopListening()
      // The answers under way, counted; the idle connections left are closed by `close`.
      const deadline = Date.now() + withinMs
      while (answering.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    },
    async close() {
      stopListening()
      server.closeAllConnections()
      await closed
    },
  }
}

/** The path template of an API Gateway route key: `PATCH /collections/{name}/{id}` → `/collections/{name}/{id}`. */
function templateOf(routeKey: string): string {
  return routeKey.slice(routeKey.indexOf(' ') + 1)
}

/**
 * The `route` label of a matched request: its template, except that a
 * declared function is counted by its name (`/functions/close-poll`). Names
 * are the operator's, so the label set stays bounded; an unknown name is
 * counted under the template.
 */
function metricRoute(routeKey: string, params: Readonly<Record<string, string | undefined>>): string {
  const template = templateOf(routeKey)
  if (template !== FUNCTION_TEMPLATE || !params.name || !findFunction(params.name)) return template
  return `/functions/${params.name}`
}
const FUNCTION_TEMPLATE = '/functions/{name}'

/** Whether a socket's peer address is this machine's loopback (IPv4 127/8, IPv6 ::1, or IPv4 mapped into IPv6). */
function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address))
}
