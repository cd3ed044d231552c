import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { parse } from '@deepstream/protobuf/dist/src/message-parser'
import { EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { Message } from '@deepstream/protobuf/dist/types/messages'
import { getMessage } from '@deepstream/protobuf/dist/src/message-builder'
import type { SocketWrapper } from '@deepstream/types'
import { Role } from '../../contracts/principal.ts'
import { topicFor } from '../../contracts/realtime.ts'
import type { TestStack } from '../testing/test-stack.ts'
import {
  connectClient,
  deliveredInOrder,
  FRAME_SIZED_TITLES,
  login,
  startRealtimeTestStack,
  type TestClient,
} from '../testing/realtime-clients.ts'
import { eventually } from '../testing/write-load.ts'
import { sendToLocalSubscribers } from './fan-out.ts'
import { inProcessRealtime } from './in-process.ts'

// The `ws` deepstream's server runs on (not a dependency of rtkit's own).
const ws = createRequire(createRequire(import.meta.url).resolve('@deepstream/server'))('ws') as {
  Server: new (options: object) => WsServer
  new (url: string, options?: object): WsClient
}
interface WsServer {
  on(event: 'connection', listener: (socket: unknown) => void): void
  address(): AddressInfo
  close(done: () => void): void
}
interface WsClient {
  on(event: 'message', listener: (data: Buffer) => void): void
  once(event: 'open', listener: () => void): void
  close(): void
}

const event = (title: string): Message =>
  ({ topic: TOPIC.EVENT, action: EVENT_ACTION.EMIT, name: 'tasks/board', parsedData: { op: 'upsert', doc: { title } } }) as Message

/** deepstream's wrapper around a server-side socket, as far as the fan-out reads it. */
function wrapperOf(socket: unknown, sentTheirWay: Message[]): SocketWrapper {
  return {
    socketType: 'wsBinary',
    isClosed: false,
    socket,
    getMessage: (message: Message) => getMessage(message, false),
    sendBuiltMessage: (built: Buffer) => sentTheirWay.push(...(parse(built) as Message[])),
  } as unknown as SocketWrapper
}

describe('fan-out of one event to many sockets', () => {
  let server: WsServer
  const accepted: unknown[] = []
  before(async () => {
    // Compression only for a client that asks for it, as `ws` servers can be set up.
    server = new ws.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: true })
    server.on('connection', (socket) => accepted.push(socket))
    await once(server as never, 'listening')
  })
  after(() => new Promise<void>((resolve) => server.close(resolve)))

  /** A client socket and its server side; `deflate` asks for compression. */
  async function pair(deflate = false): Promise<{ client: WsClient; server: unknown; received: Message[] }> {
    const client = new ws(`ws://127.0.0.1:${server.address().port}`, { perMessageDeflate: deflate })
    const received: Message[] = []
    client.on('message', (data) => received.push(...(parse(data) as Message[])))
    await new Promise<void>((resolve) => client.once('open', resolve))
    while (accepted.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    return { client, server: accepted.shift(), received }
  }

  it('writes one shared frame to each socket, for payloads of every frame-length form', async () => {
    const sockets = [await pair(), await pair()]
    const theirWay: Message[] = []
    const subscribers = new Set(sockets.map((socket) => wrapperOf(socket.server, theirWay)))
    for (const title of FRAME_SIZED_TITLES) assert.equal(sendToLocalSubscribers(subscribers, event(title)), 2)
    for (const { client, received } of sockets) {
      await eventually(`${FRAME_SIZED_TITLES.length} messages`, () => received.length >= FRAME_SIZED_TITLES.length, 5_000)
      assert.deepEqual(
        received.map((message) => [message.topic, message.action, message.name, JSON.parse(message.data as string).doc.title]),
        FRAME_SIZED_TITLES.map((title) => [TOPIC.EVENT, EVENT_ACTION.EMIT, 'tasks/board', title]),
      )
      client.close()
    }
    // Had `ws`'s internals moved, every socket would have gone deepstream's way.
    assert.deepEqual(theirWay, [])
  })

  it('leaves a socket with a negotiated extension, and a closed one, to deepstream', async () => {
    const compressed = await pair(true)
    const theirWay: Message[] = []
    const closed = { ...wrapperOf((await pair()).server, theirWay), isClosed: true } as SocketWrapper
    const sent = sendToLocalSubscribers(new Set([wrapperOf(compressed.server, theirWay), closed]), event('compressed'))
    assert.equal(sent, 1)
    assert.deepEqual(
      theirWay.map((message) => message.name),
      ['tasks/board'],
    )
    compressed.client.close()
  })
})

describe('in-process events reach subscribers through the real server', () => {
  let stack: TestStack
  let client: TestClient
  before(async () => {
    stack = await startRealtimeTestStack()
    client = await connectClient(stack.realtimeUrl, (await login(stack, 'alice')).token)
  })
  after(async () => {
    client.close()
    await stack.close()
  })

  it('delivers each, whole and in order, whatever its size', async () => {
    const topic = topicFor('tasks', 'fan-out')
    const realtime = inProcessRealtime(stack.realtimeUrl)!
    const bridge = { id: 'service:fan-out-test', username: 'fan-out-test', name: 'Fan-out test', role: Role.service }
    const titles = await deliveredInOrder(client.record(topic), (data) => realtime.publish(bridge, topic, data))
    assert.deepEqual(titles, FRAME_SIZED_TITLES)
  })
})
