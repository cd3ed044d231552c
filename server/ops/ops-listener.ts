import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { log } from '../lib/log.ts'
import { answerOps, type OpsEndpoints } from './ops-endpoints.ts'

/** The operations listener of a process without the API gateway. */
export interface OpsListener {
  /** `http://host:port`, for `GET /ready` and `GET /metrics`. */
  readonly url: string
  close(): Promise<void>
}

/**
 * A small HTTP listener for `GET /ready`, `GET /metrics` and `GET /health`,
 * for a process that runs no API gateway (deepstream alone, the bridge
 * alone), on `RTKIT_OPS_PORT`. Anything else is 404.
 *
 * @example
 * const ops = await startOpsListener('127.0.0.1', 0, { readiness, metrics, metricsToken })
 * console.log(ops.url)
 */
export async function startOpsListener(host: string, port: number, endpoints: OpsEndpoints): Promise<OpsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!
    const answer = async () => {
      if (await answerOps(request, response, path, endpoints)) return
      const health = path === '/health' && request.method === 'GET'
      response.writeHead(health ? 200 : 404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
      response.end(health ? '{"status":"ok"}' : '{"error":{"code":"not_found","message":"not found"}}')
    }
    answer().catch((error: unknown) => {
      log.error({ err: error }, 'operations listener failure')
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })
  server.requestTimeout = 10_000
  server.headersTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
