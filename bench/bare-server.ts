import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The baseline for HTTP writes: a bare Node HTTP server on loopback that
 * reads the request body and answers 201 with a small JSON body, no parsing,
 * no storage. What any server must at least spend on a POST.
 */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json' })
      response.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
