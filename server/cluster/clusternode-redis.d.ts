// Types for @deepstream/clusternode-redis@1.0.1, which ships none: only
// what rtkit's subclass (redis-cluster-node.ts) reaches.
declare module '@deepstream/clusternode-redis' {
  import type { Message } from '@deepstream/protobuf/dist/types/messages'
  import type { DeepstreamClusterNode, DeepstreamConfig, DeepstreamPlugin, DeepstreamServices } from '@deepstream/types'
  import type { Redis, RedisOptions } from 'ioredis'

  /** The package's `RedisConnection`: one ioredis client and its readiness. */
  interface RedisConnection {
    client: Redis
    whenReady(): Promise<void> | undefined
    close(): Promise<void>
  }

  type ClusterCallback = (message: Message, fromServer: string) => void

  class RedisClusterNode extends DeepstreamPlugin implements DeepstreamClusterNode {
    constructor(pluginConfig: RedisOptions, services: DeepstreamServices, config: DeepstreamConfig)
    description: string
    protected services: DeepstreamServices
    protected config: DeepstreamConfig
    /** Publishes. */
    protected connection: RedisConnection
    /** Subscribes (a Redis connection in subscriber mode can do nothing else). */
    protected subscribeConnection: RedisConnection
    /** Local handlers by deepstream topic. */
    protected callbacks: Map<number, Set<ClusterCallback>>
    send(message: Message, metaData?: unknown): void
    sendDirect(serverName: string, message: Message, metaData?: unknown): void
    subscribe(topic: number, callback: ClusterCallback): void
    whenReady(): Promise<void>
    close(): Promise<void>
  }
  export default RedisClusterNode
}
