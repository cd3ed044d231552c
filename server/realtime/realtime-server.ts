import net, { type AddressInfo, type Server } from 'node:net'
import type * as DeepstreamModule from '@deepstream/server'
import type { Deepstream } from '@deepstream/server'
import { EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { Message } from '@deepstream/protobuf/dist/types/messages'
import { LOG_LEVEL, type DeepstreamConfig, type DeepstreamServices } from '@deepstream/types'
import type { DatabaseConfig } from '../config.ts'
import { log } from '../lib/log.ts'
import type { Verifier } from '../lib/tokens.ts'
import type { Principal } from '../../contracts/principal.ts'
import { mayPerform, RealtimeAction } from './access-rules.ts'
import { CollectionPermission } from './collection-permission.ts'
import { deepstreamConfig, type DeepstreamSettings } from './deepstream-config.ts'
import { emitToLocalSubscribers, eventSubscriptions } from './fan-out.ts'
import { registerInProcess } from './in-process.ts'
import { JwtAuthentication } from './jwt-authentication.ts'
import { SessionRegistry, SessionTracking } from './session-registry.ts'

/** Options of {@link startRealtime}. */
export interface RealtimeOptions {
  host: string
  /** 0 picks a free port; {@link RealtimeServer.port} tells which. */
  port: number
  /** WebSocket path, e.g. `/deepstream`. */
  path: string
  /** The one token verifier (rtkit's key, and the host's issuer when configured). */
  verifier: Verifier
  /**
   * The database, to refuse revoked tokens and deleted accounts at login and
   * end such open sessions (see `SessionRegistry`). Without it (deepstream
   * alone on a machine that does not reach the database), tokens are only
   * verified, and sessions end when their token expires.
   */
  database?: DatabaseConfig
  logLevel?: DeepstreamSettings['logLevel']
  /** deepstream's `serverName`: this node's name in a cluster (`RTKIT_NODE_NAME`). */
  nodeName?: string
  /** `RTKIT_REDIS_URL`: cluster with the other nodes over this Redis. */
  redisUrl?: URL | undefined
  /** Distinct event topics one connection may subscribe to; default `DEFAULT_MAX_SUBSCRIPTIONS` (1,000). */
  maxSubscriptions?: number
}

/** A running deepstream server. */
export interface RealtimeServer {
  /** `ws://host:port/path` for clients. */
  readonly url: string
  readonly port: number
  /** Whether deepstream is started and listening now (false during a restart and after close). */
  readonly running: boolean
  /** Event subscriptions this node's clients hold now (one per socket and topic), for `rtkit_realtime_subscriptions`. */
  readonly subscriptions: number
  /** Stops the server and starts a fresh one on the same port (fault tests). */
  restart(): Promise<void>
  /**
   * Takes no more connections and closes every open socket with 1001
   * ("going away"), so clients reconnect through the balancer to another
   * node; resolves once they have closed, or after `withinMs`. {@link close} follows.
   */
  drain(withinMs: number): Promise<void>
  close(): Promise<void>
}

/** The WebSocket close code of a server going away (RFC 6455, 7.4.1): a reconnect, not an error. */
export const GOING_AWAY = 1001

/** Thrown when deepstream does not start, e.g. the port is taken. */
export class RealtimeStartError extends Error {
  override name = 'RealtimeStartError'
}

const START_TIMEOUT_MS = 10_000

/** What `ps` and `pgrep rtkit-server` show for a process running deepstream. */
export const PROCESS_TITLE = 'rtkit-server'

/**
 * deepstream listens without an 'error' handler, so a taken port would crash
 * the process; probing first turns that into a clear error (a port taken in
 * the moment between probe and listen still crashes, as a bind race would).
 */
async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(new RealtimeStartError(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error })))
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

async function launch(options: RealtimeOptions, sessions: SessionRegistry): Promise<{ server: Deepstream; port: number }> {
  await ensurePortFree(options.host, options.port)
  const module = (await import('@deepstream/server')) as typeof DeepstreamModule & { default?: typeof DeepstreamModule }
  const Deepstream = module.Deepstream ?? module.default!.Deepstream
  // deepstream renames the process when its module loads ('deepstream server'). A title
  // overwrites the command line `ps` shows, so writing back the old one left a bare `node`
  // that `pgrep -f rtkit-server` could not find: the process is named for what it is.
  process.title = PROCESS_TITLE
  const server = new Deepstream(
    deepstreamConfig({
      host: options.host,
      port: options.port,
      path: options.path,
      logLevel: options.logLevel ?? LOG_LEVEL.WARN,
      ...(options.nodeName ? { serverName: options.nodeName } : {}),
      clustered: options.redisUrl !== undefined,
    }),
  )
  if (options.redisUrl) {
    // Loaded only for a cluster, like deepstream itself only when realtime runs.
    const { RtkitRedisClusterNode } = await import('../cluster/redis-cluster-node.ts')
    const { redisOptions } = await import('../cluster/redis-options.ts')
    const bus = { redis: redisOptions(options.redisUrl), log: log.child({ part: 'realtime', node: options.nodeName }) }
    server.set(
      'clusterNode',
      new RtkitRedisClusterNode(bus, server.getServices() as DeepstreamServices, server.getConfig() as DeepstreamConfig),
    )
  }
  // `set` after construction is deepstream's API for plugin instances; ours
  // need the JWT keys through their constructors.
  // Without the database (deepstream alone on its machine) tokens are verified, not looked up.
  const checkSessions = options.database !== undefined
  server.set('authentication', new JwtAuthentication(options.verifier, checkSessions))
  server.set('permission', new CollectionPermission(options.verifier, sessions, checkSessions, options.maxSubscriptions))
  // Every socket is known to the registry from its login on, not from its first action.
  ;(server.getServices() as DeepstreamServices).plugins.rtkitSessions = new SessionTracking(sessions)
  server.set('httpServer.options.port', options.port)
  // deepstream's subscription registries start two intervals each that
  // `close()` never clears, so a stopped server would keep the process
  // alive. They only log a diagnostic; 0 (refused by the config validator,
  // hence set here) turns them off.
  server.set('subscriptions.options.subscriptionsSanityTimer', 0)

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RealtimeStartError(`deepstream did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    )
    server.once('started', () => {
      clearTimeout(timer)
      resolve()
    })
    server.once('fatalException', () => {
      clearTimeout(timer)
      reject(new RealtimeStartError('deepstream failed to start (see its log)'))
    })
    server.start()
  })
  // The actual port (for port 0) is only known to deepstream's HTTP service.
  const http = server.getServices().httpService as unknown as { server?: Server }
  const address = http.server?.address() as AddressInfo | null | undefined
  if (!address) throw new RealtimeStartError('deepstream started without a listening address')
  return { server, port: address.port }
}

/**
 * What rtkit reads of deepstream's Node HTTP service (`services/http/node`):
 * its listening server, and its open WebSockets (the map deepstream's own
 * `close()` destroys them from). Not in `@deepstream/types`.
 */
interface NodeHttpService {
  server?: Server
  connections?: Map<{ close(code: number, reason: string): void }, unknown>
}

const httpServiceOf = (server: Deepstream) => server.getServices().httpService as unknown as NodeHttpService

/**
 * Emits an event from inside the process, as deepstream treats a client's
 * emit once its permission is granted: over the cluster bus (a no-op on a
 * single node) and to this node's subscribers, framed once for all of them
 * (`fan-out.ts`). The message carries `parsedData`, which both encode as
 * JSON, as `RtkitRedisClusterNode`'s resync does.
 */
function emitInProcess(server: Deepstream, principal: Principal, topic: string, data: object): boolean {
  if (!server.isRunning() || !mayPerform(principal, RealtimeAction.publish, topic)) return false
  const services = server.getServices() as DeepstreamServices
  const message: Message = { topic: TOPIC.EVENT, action: EVENT_ACTION.EMIT, name: topic, parsedData: data as Message['parsedData'] }
  services.clusterNode.send(message)
  emitToLocalSubscribers(services, topic, message)
  return true
}

/** Event subscriptions of this node's sockets: deepstream's registry lists names cluster-wide and subscribers locally. */
function localSubscriptions(server: Deepstream): number {
  const registry = eventSubscriptions(server.getServices() as DeepstreamServices)
  let count = 0
  for (const name of registry.getNames()) count += registry.getLocalSubscribers(name).size
  return count
}

/** Stops taking connections and closes every socket with {@link GOING_AWAY}; resolves once none is open, or after `withinMs`. */
async function goAway(server: Deepstream, withinMs: number): Promise<void> {
  if (!server.isRunning()) return
  const http = httpServiceOf(server)
  // A reconnect arriving now is refused, and the balancer sends it to another node.
  http.server?.close()
  const sockets = http.connections
  if (!sockets) return
  for (const socket of sockets.keys()) socket.close(GOING_AWAY, 'server going away')
  const deadline = Date.now() + withinMs
  while (sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
}

function stop(server: Deepstream): Promise<void> {
  if (!server.isRunning()) return Promise.resolve()
  return new Promise((resolve) => {
    server.once('stopped', () => resolve())
    server.stop()
  })
}

/**
 * Starts deepstream on `host:port` with rtkit's JWT authentication and
 * collection-derived permissions, presence on, everything unused off.
 *
 * @example
 * const realtime = await startRealtime({ host: '127.0.0.1', port: 0, path: '/deepstream', verifier: defaultVerifier() })
 * console.log(realtime.url) // ws://127.0.0.1:41234/deepstream
 * await realtime.close()
 */
export async function startRealtime(options: RealtimeOptions): Promise<RealtimeServer> {
  const sessions = new SessionRegistry()
  const launched = await launch(options, sessions)
  const port = launched.port
  let server = launched.server
  if (options.database) sessions.follow(options.database)
  const url = `ws://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}${options.path}`
  // A bridge in this process publishes through this (`in-process.ts`) rather than over a WebSocket.
  const restarted = new Set<() => void>()
  const unregister = registerInProcess(url, {
    publish: (principal, topic, data) => emitInProcess(server, principal, topic, data),
    onRestarted(listener) {
      restarted.add(listener)
      return () => restarted.delete(listener)
    },
  })
  return {
    url,
    port,
    get running() {
      return server.isRunning()
    },
    get subscriptions() {
      return server.isRunning() ? localSubscriptions(server) : 0
    },
    drain: (withinMs) => goAway(server, withinMs),
    async restart() {
      await stop(server)
      ;({ server } = await launch({ ...options, port }, sessions))
      for (const listener of restarted) listener()
    },
    close: async () => {
      unregister()
      await sessions.close()
      await stop(server)
    },
  }
}
