import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { Message } from '@deepstream/protobuf/dist/types/messages'
import type { DeepstreamConfig, DeepstreamServices, SocketWrapper } from '@deepstream/types'
import { Role } from '../../contracts/principal.ts'
import { topicFor } from '../../contracts/realtime.ts'
import { startRedisServer, type RedisServer } from '../../scripts/cluster/redis-server.ts'
import { loadConfig } from '../config.ts'
import { log } from '../lib/log.ts'
import { createVerifier, issueToken } from '../lib/tokens.ts'
import { inProcessRealtime } from '../realtime/in-process.ts'
import { startRealtime, type RealtimeServer } from '../realtime/realtime-server.ts'
import { connectClient, deliveredInOrder, FRAME_SIZED_TITLES, type TestClient } from '../testing/realtime-clients.ts'
import { eventually } from '../testing/write-load.ts'
import { testEnv } from '../testing/test-env.ts'
import { redisOptions } from './redis-options.ts'
import { RtkitRedisClusterNode } from './redis-cluster-node.ts'

// Events from other nodes on a real redis-server: which of them this node's
// own fan-out sends (`fan-out.ts`) and which stay deepstream's, and, through
// two real deepstream nodes, that they arrive whole and in order.

const bridge = { id: 'service:bus-test', username: 'bus-test', name: 'Bus test', role: Role.service }

let redis: RedisServer
before(async () => {
  redis = await startRedisServer()
})
after(() => redis?.stop())

/** `RTKIT_REDIS_URL` with the password in it, as the nodes read it. */
function busUrl(): URL {
  const url = new URL(redis.url)
  url.password = redis.password
  return url
}

describe('events from another node', () => {
  /** What deepstream would have been handed, what this node's fan-out sent, and what monitoring counted. */
  const handled: Message[] = []
  const sent: Message[] = []
  const broadcasts: Array<[string | undefined, number]> = []
  // A subscriber socket deepstream's own send serves (not a plain WebSocket), so the fan-out records what it sends.
  const subscriber = {
    socketType: 'recording',
    isClosed: false,
    getMessage: (message: Message) => message,
    sendBuiltMessage: (message: Message) => sent.push(message),
  } as unknown as SocketWrapper
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, fatal() {} }
  // The parts of deepstream's services the bus reads: its logger, the event registry and monitoring.
  const services = {
    logger: quiet,
    subscriptions: {
      getSubscriptionRegistry: () => ({ getLocalSubscribers: (name: string) => new Set(name === 'tasks/b' ? [subscriber] : []) }),
    },
    monitoring: { onBroadcast: (message: Message, count: number) => broadcasts.push([message.name, count]) },
  } as unknown as DeepstreamServices
  let sender: RtkitRedisClusterNode
  let receiver: RtkitRedisClusterNode

  before(async () => {
    const bus = { redis: redisOptions(busUrl()), log }
    sender = new RtkitRedisClusterNode(bus, services, { serverName: 'sender' } as DeepstreamConfig)
    receiver = new RtkitRedisClusterNode(bus, services, { serverName: 'receiver' } as DeepstreamConfig)
    receiver.subscribe(TOPIC.EVENT, (message) => handled.push(message))
    await Promise.all([sender.whenReady(), receiver.whenReady()])
    // Subscribed once a first message gets through; one publisher's messages arrive in order, so every probe is in before the last.
    const probe = (name: string) => sender.send({ topic: TOPIC.EVENT, action: EVENT_ACTION.SUBSCRIBE, name } as Message)
    const probed = () => {
      probe('probe')
      return false
    }
    await eventually('the bus subscription', () => handled.length > 0 || probed(), 5_000)
    probe('last probe')
    await eventually('the last probe', () => handled.at(-1)?.name === 'last probe', 5_000)
    handled.length = 0
  })
  after(() => Promise.all([sender?.close(), receiver?.close()]))

  it('sends an emit of parsed data to this node’s subscribers itself, counted, and leaves the rest to deepstream', async () => {
    const emit = (name: string, fields: Partial<Message>) => ({ topic: TOPIC.EVENT, action: EVENT_ACTION.EMIT, name, ...fields }) as Message
    sender.send(emit('tasks/b', { parsedData: { op: 'upsert', doc: { title: 'bridged' } } }))
    sender.send(emit('tasks/none', { parsedData: { op: 'upsert' } }))
    // A client's emit carries its bytes (`data`), and a subscription is no emit: both are deepstream's.
    sender.send(emit('tasks/b', { data: Buffer.from('{"op":"client"}') as unknown as string }))
    sender.send({ topic: TOPIC.EVENT, action: EVENT_ACTION.SUBSCRIBE, name: 'tasks/b' } as Message)
    await eventually('two messages for deepstream', () => handled.length >= 2, 5_000)
    assert.deepEqual(
      sent.map((message) => [message.name, message.parsedData]),
      [['tasks/b', { op: 'upsert', doc: { title: 'bridged' } }]],
    )
    assert.deepEqual(broadcasts, [
      ['tasks/b', 1],
      ['tasks/none', 0],
    ])
    assert.deepEqual(
      handled.map((message) => [message.action, message.name]),
      [
        [EVENT_ACTION.EMIT, 'tasks/b'],
        [EVENT_ACTION.SUBSCRIBE, 'tasks/b'],
      ],
    )
  })
})

describe('events published on one deepstream node', () => {
  const config = loadConfig(testEnv())
  const nodes: RealtimeServer[] = []
  let client: TestClient

  before(async () => {
    for (const nodeName of ['node-a', 'node-b'])
      nodes.push(
        await startRealtime({
          host: '127.0.0.1',
          port: 0,
          path: '/deepstream',
          verifier: createVerifier(config.jwt, undefined),
          redisUrl: busUrl(),
          nodeName,
        }),
      )
    const { token } = issueToken({ id: 'reader', username: 'reader', name: 'Reader' }, Role.user, config.jwt)
    client = await connectClient(nodes[1]!.url, token)
  })
  after(async () => {
    client?.close()
    for (const node of nodes) await node.close()
  })

  it('reach a subscriber on another node whole and in order, whatever their size', async () => {
    const topic = topicFor('tasks', 'across-nodes')
    const publisher = inProcessRealtime(nodes[0]!.url)!
    const titles = await deliveredInOrder(client.record(topic), (data) => publisher.publish(bridge, topic, data), 10_000)
    assert.deepEqual(titles, FRAME_SIZED_TITLES)
  })
})
