import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { eventually } from '../../server/testing/write-load.ts'
import { DeepstreamGateway } from './deepstream-gateway.ts'

/**
 * A WebSocket endpoint that takes every upgrade request and never answers
 * it, so each client socket stays `CONNECTING` for as long as the test
 * wants: the moment deepstream's own close goes wrong.
 */
function silentEndpoint() {
  const held = new Set<Socket>()
  let requests = 0
  let aborted = 0
  const server = createServer()
  server.on('upgrade', (_request: IncomingMessage, socket: Socket) => {
    requests++
    held.add(socket)
    // Read (and drop) whatever comes, so the client's abort arrives as an end.
    socket.resume()
    socket.on('end', () => {
      held.delete(socket)
      aborted++
      socket.destroy()
    })
  })
  return {
    async listen(): Promise<string> {
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/deepstream`
    },
    requests: () => requests,
    aborted: () => aborted,
    async close(): Promise<void> {
      for (const socket of held) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}

/** setTimeout and setInterval calls made while `during` runs. */
async function timersSetDuring(during: () => Promise<void>): Promise<number> {
  const { setTimeout: ownTimeout, setInterval: ownInterval } = globalThis
  let set = 0
  globalThis.setTimeout = ((...args: Parameters<typeof ownTimeout>) => (set++, ownTimeout(...args))) as typeof ownTimeout
  globalThis.setInterval = ((...args: Parameters<typeof ownInterval>) => (set++, ownInterval(...args))) as typeof ownInterval
  try {
    await during()
  } finally {
    globalThis.setTimeout = ownTimeout
    globalThis.setInterval = ownInterval
  }
  return set
}

describe('the deepstream gateway', () => {
  const endpoint = silentEndpoint()
  let url = ''
  before(async () => (url = await endpoint.listen()))
  after(() => endpoint.close())

  it('opens no other socket after it closes while its socket is still connecting', async () => {
    const gateway = new DeepstreamGateway({ url, reconnectIntervalIncrement: 20, maxReconnectInterval: 40 })
    const before = endpoint.requests()
    gateway.setToken('a token')
    await eventually('the upgrade request', () => endpoint.requests() === before + 1, 5000)
    const abortedBefore = endpoint.aborted()
    gateway.close()
    await eventually('the aborted socket', () => endpoint.aborted() === abortedBefore + 1, 5000)
    // deepstream's own close aborts the socket, whose error schedules a reconnect 0–40 ms later.
    await sleep(300)
    assert.equal(endpoint.requests(), before + 1, 'a closed gateway connected again')
  })

  it('sets no timer while it waits on a connection (deepstream ticks every 50 ms unless told not to)', async () => {
    const gateway = new DeepstreamGateway({ url })
    const before = endpoint.requests()
    gateway.setToken('a token')
    await eventually('the upgrade request', () => endpoint.requests() === before + 1, 5000)
    try {
      assert.equal(await timersSetDuring(() => sleep(500)), 0)
    } finally {
      gateway.close()
    }
  })
})
