import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Metrics } from './metrics.ts'
import type { Readiness } from './readiness.ts'

/** Readiness for balancers: 200 when the process can serve, 503 before and while draining. */
export const READY_PATH = '/ready'
/** Prometheus metrics, with `Authorization: Bearer $RTKIT_METRICS_TOKEN` only. */
export const METRICS_PATH = '/metrics'

/** What the operations endpoints read. */
export interface OpsEndpoints {
  readiness: Readiness
  metrics: Metrics
  /** `RTKIT_METRICS_TOKEN`; `undefined` turns `/metrics` off (404). */
  metricsToken: string | undefined
}

const NO_STORE = { 'cache-control': 'no-store' }

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers })
  response.end(JSON.stringify(body))
}

/** Compares digests, so the time taken says nothing about how much of the token was right. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/**
 * Answers `GET /ready` and `GET /metrics` (only those two; anything else is
 * left to the caller), for the API gateway and the operations listener alike.
 * The answers carry no CORS headers: a page on another origin cannot read them.
 *
 * - `/ready`: 200 or 503 with `{ status, checks }` (part names and `ok`/`waiting`, nothing secret).
 * - `/metrics`: 404 when no token is configured (metrics are off, and
 *   nothing says they exist), 401 without a bearer token, 403 with a wrong
 *   one, else the Prometheus text exposition.
 *
 * @returns whether the request was one of the two
 */
export async function answerOps(request: IncomingMessage, response: ServerResponse, path: string, ops: OpsEndpoints): Promise<boolean> {
  const method = request.method ?? 'GET'
  if (path === READY_PATH && (method === 'GET' || method === 'HEAD')) {
    const report = await ops.readiness.report()
    sendJson(response, report.ready ? 200 : 503, { status: report.status, checks: report.checks })
    return true
  }
  if (path === METRICS_PATH && method === 'GET') {
    const token = ops.metricsToken
    if (token === undefined) {
      sendJson(response, 404, { error: { code: 'not_found', message: `no route for GET ${METRICS_PATH}` } })
      return true
    }
    const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
    if (given === undefined) {
      sendJson(response, 401, { error: { code: 'unauthorized', message: 'a bearer token is required' } }, { 'www-authenticate': 'Bearer' })
      return true
    }
    if (!sameToken(given, token)) {
      sendJson(response, 403, { error: { code: 'forbidden', message: 'the metrics token is wrong' } })
      return true
    }
    const body = await ops.metrics.render()
    response.writeHead(200, { 'content-type': ops.metrics.registry.contentType, ...NO_STORE })
    response.end(body)
    return true
  }
  return false
}
