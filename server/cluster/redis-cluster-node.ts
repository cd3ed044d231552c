import RedisClusterNodeModule from '@deepstream/clusternode-redis'
import { EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { Message } from '@deepstream/protobuf/dist/types/messages'
import type { DeepstreamConfig, DeepstreamServices } from '@deepstream/types'
import type { Redis, RedisOptions } from 'ioredis'
import { RESYNC_TOPIC, type ResyncEvent } from '../../contracts/realtime.ts'
import type { Logger } from '../lib/log.ts'
import { emitToLocalSubscribers } from '../realtime/fan-out.ts'

// The package is CommonJS with `exports.default`; Node's ESM loader hands
// back the exports object, a bundler the class itself.
const RedisClusterNode = ((RedisClusterNodeModule as unknown as { default?: typeof RedisClusterNodeModule }).default ??
  RedisClusterNodeModule) as typeof RedisClusterNodeModule

/** Options of {@link RtkitRedisClusterNode}. */
export interface RedisBusOptions {
  /** From `redisOptions(RTKIT_REDIS_URL)`. */
  redis: RedisOptions
  log: Logger
}

/** What the bus hands to a topic's handler: a message from another node, and that node's name. */
type ClusterCallback = (message: Message, fromServer: string) => void

/** How long a clean stop waits for Redis to acknowledge `QUIT`, ms. */
const QUIT_TIMEOUT_MS = 1_000

/**
 * deepstream's cluster bus over Redis: `@deepstream/clusternode-redis`
 * (events, presence and the cluster registry cross nodes through Redis
 * pub/sub), with what rtkit needs on top of it.
 *
 * - A clean stop: the package's own `close()` quits one of its two
 *   connections and then crashes the process with ioredis's "Connection is
 *   closed" when deepstream sends its leave message; this one stops sending
 *   once closing and closes both.
 * - Redis errors are warnings in rtkit's log (once per outage) instead of
 *   deepstream "fatal" errors; the connections reconnect by themselves.
 * - A resync after an outage: Redis pub/sub drops whatever is published
 *   while a connection is down, and nothing tells deepstream. Once both
 *   connections are back and every channel is subscribed again, the node
 *   publishes `rtkit/resync` to its own clients and to every other node,
 *   so live queries refetch what they may have missed.
 * - Events from other nodes reach this node's sockets the way its own do:
 *   framed once for all of its subscribers (`fan-out.ts`), instead of
 *   through deepstream's per-socket loop.
 *
 * @example
 * server.set('clusterNode', new RtkitRedisClusterNode({ redis: redisOptions(url), log }, server.getServices(), server.getConfig()))
 */
export class RtkitRedisClusterNode extends RedisClusterNode {
  override description = 'rtkit cluster bus (@deepstream/clusternode-redis)'
  private closing = false
  private readonly log: Logger
  /** A connection was lost since the bus was last whole. */
  private interrupted = false

  constructor(options: RedisBusOptions, services: DeepstreamServices, config: DeepstreamConfig) {
    super({ ...options.redis }, services, config)
    this.log = options.log
    for (const [role, connection] of [
      ['publish', this.connection],
      ['subscribe', this.subscribeConnection],
    ] as const) {
      const client = connection.client
      // The package's handlers log every error as fatal; ours warn, once an outage.
      client.removeAllListeners('error')
      client.removeAllListeners('end')
      let warned = false
      client.on('error', (error: Error) => {
        if (warned || this.closing) return
        warned = true
        this.log.warn({ err: error, connection: role }, 'cluster bus: Redis connection failed; reconnecting')
      })
      client.on('close', () => {
        if (this.closing) return
        this.interrupted = true
      })
      client.on('ready', () => {
        warned = false
        void this.whenWholeAgain()
      })
    }
  }

  override send(message: Message, metaData?: unknown): void {
    if (!this.closing) super.send(message, metaData)
  }

  override sendDirect(serverName: string, message: Message, metaData?: unknown): void {
    if (!this.closing) super.sendDirect(serverName, message, metaData)
  }

  override subscribe(topic: number, callback: ClusterCallback): void {
    // deepstream registers one handler for events (its message distributor); listening has a topic of its own.
    super.subscribe(topic, topic === TOPIC.EVENT ? this.fanningOutEmits(callback) : callback)
  }

  /**
   * `handle`, except for an emit whose data is parsed (rtkit's bridge and
   * resync events): this node's subscribers of its name get it from
   * {@link emitToLocalSubscribers}, as the node's own emits do. Anything
   * else, a client's emit among them, goes to `handle`.
   */
  private fanningOutEmits(handle: ClusterCallback): ClusterCallback {
    return (message, fromServer) => {
      if (message.action !== EVENT_ACTION.EMIT || message.parsedData === undefined || message.data !== undefined || !message.name)
        return handle(message, fromServer)
      emitToLocalSubscribers(this.services, message.name, message)
    }
  }

  override async close(): Promise<void> {
    this.closing = true
    await Promise.all([quit(this.connection.client), quit(this.subscribeConnection.client)])
  }

  /** After an interruption, announces a resync once both connections serve again. */
  private async whenWholeAgain(): Promise<void> {
    if (!this.interrupted || this.closing) return
    if (this.connection.client.status !== 'ready' || this.subscribeConnection.client.status !== 'ready') return
    this.interrupted = false
    try {
      // ioredis re-subscribes every channel right after 'ready'; this
      // SUBSCRIBE is answered after those, so all of them are live again.
      await this.subscribeConnection.client.subscribe(this.probeChannel)
    } catch (error) {
      this.interrupted = true
      this.log.warn({ err: error }, 'cluster bus: resubscribing failed')
      return
    }
    this.announceResync()
  }

  /** A channel of this node's own, never published on (see {@link whenWholeAgain}). */
  private get probeChannel(): string {
    return `rtkit:bus:${this.config.serverName}`
  }

  private announceResync(): void {
    const resync: ResyncEvent = { reason: 'realtime bus reconnected', at: new Date().toISOString() }
    const message: Message = { topic: TOPIC.EVENT, action: EVENT_ACTION.EMIT, name: RESYNC_TOPIC, parsedData: { ...resync } }
    this.log.warn({ node: this.config.serverName }, 'cluster bus: back after an interruption; announcing a resync')
    // To this node's clients, as if it came from the bus…
    for (const callback of this.callbacks.get(TOPIC.EVENT) ?? []) callback(message, this.config.serverName)
    // …and to every other node's, which may have missed this node's events.
    this.send(message)
  }
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, QUIT_TIMEOUT_MS)
    }),
  ])
  clearTimeout(timer)
  client.disconnect()
}
