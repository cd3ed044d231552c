import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { firstValueFrom } from 'rxjs'
import { eventually } from '../../server/testing/write-load.ts'
import { FetchHttpGateway } from './fetch-http-gateway.ts'

describe('the fetch HTTP gateway', () => {
  /** Requests the server holds without answering, by path. */
  const held = new Map<string, ServerResponse>()
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/auth/me')) {
      held.set(request.url, response)
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ collections: [] }))
  })
  let baseUrl = ''
  /** The signal of every request the gateway made, in order. */
  const signals: AbortSignal[] = []
  const gateway = () =>
    new FetchHttpGateway({
      baseUrl,
      token: () => 'a token',
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      fetch: (input, init) => {
        signals.push(init!.signal!)
        return fetch(input, init)
      },
    })

  before(async () => {
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => {
    for (const response of held.values()) response.destroy()
    server.closeAllConnections()
    server.close()
  })

  it('leaves an answered request alone: nothing is aborted once the answer is in', async () => {
    assert.deepEqual(await firstValueFrom(gateway().collections()), { collections: [] })
    assert.equal(signals.at(-1)?.aborted, false)
  })

  it('aborts a request whose subscriber leaves before the answer', async () => {
    const subscription = gateway().me().subscribe()
    await eventually('the held request', () => held.has('/auth/me'), 5000)
    const signal = signals.at(-1)!
    assert.equal(signal.aborted, false)
    const closed = once(held.get('/auth/me')!, 'close')
    subscription.unsubscribe()
    assert.equal(signal.aborted, true)
    await closed
  })
})
