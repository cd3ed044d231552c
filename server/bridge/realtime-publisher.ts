import { C, DeepstreamClient } from '@deepstream/client'
import type { JSONObject } from '@deepstream/client/dist/src/constants'
import type { Principal } from '../../contracts/principal.ts'
import type { Logger } from '../lib/log.ts'
import { inProcessRealtime, type InProcessRealtime } from '../realtime/in-process.ts'

/** Options of {@link connectPublisher}. */
export interface PublisherOptions {
  /** `ws://…/deepstream` */
  url: string
  /** Who publishes: the principal of {@link token}, for a server in this process, which takes no token. */
  principal: Principal
  /**
   * A fresh service token. Called on every (re)login, so a bridge that
   * reconnects after its first token expired still gets in.
   */
  token(): string
  /** Called after every re-login that followed a lost connection. */
  onReconnected(): void
  log: Logger
  /** How long the first login may take, ms. */
  loginTimeoutMs?: number
}

/** The bridge's deepstream side: emits events as the service principal. */
export interface RealtimePublisher {
  publish(topic: string, data: object): void
  close(): void
}

/** Thrown when the first login does not succeed in time or is refused. */
export class PublisherLoginError extends Error {
  override name = 'PublisherLoginError'
}

// Reconnect for ever (a bridge is useless offline), quickly at first and
// then every few seconds at most.
const RECONNECT = { maxReconnectAttempts: Infinity, reconnectIntervalIncrement: 250, maxReconnectInterval: 3_000 }

/**
 * Publishes straight into the deepstream server of this process (see
 * `server/realtime/in-process.ts`): no token, no socket, no reconnect; after
 * the server restarts, `onReconnected` lets the bridge announce a resync,
 * as a client's reconnect would. A refused publication is logged, as
 * deepstream's `MESSAGE_DENIED` is for the client.
 */
function inProcessPublisher(realtime: InProcessRealtime, options: PublisherOptions): RealtimePublisher {
  const stopListening = realtime.onRestarted(() => options.onReconnected())
  return {
    publish(topic, data) {
      if (!realtime.publish(options.principal, topic, data)) options.log.warn({ topic }, 'deepstream not running or publication refused')
    },
    close: stopListening,
  }
}

/**
 * Logs in to deepstream with a service token and keeps the session: the
 * client reconnects and logs back in by itself after a deepstream restart,
 * and `onReconnected` then lets the bridge announce a resync, because events
 * emitted while it was away are lost. A deepstream server of this very
 * process is published into directly instead.
 *
 * @example
 * const principal = { ...profile, role: Role.service }
 * const publisher = await connectPublisher({ url, principal, token: () => issueToken(profile, Role.service).token, onReconnected, log })
 * publisher.publish('tasks/launch', { op: 'upsert', doc, version: 2 })
 */
export async function connectPublisher(options: PublisherOptions): Promise<RealtimePublisher> {
  const local = inProcessRealtime(options.url)
  if (local) return inProcessPublisher(local, options)
  const client = new DeepstreamClient(options.url, RECONNECT)
  client.on('error', (error: unknown, event: string) => options.log.warn({ err: error }, `deepstream ${event}`))

  // The client keeps this object and sends it on every re-login; the getter
  // makes each login carry a token issued just then.
  const authData = Object.defineProperty({}, 'token', { enumerable: true, get: () => options.token() }) as JSONObject

  let loggedIn = false
  let wasLost = false
  client.on('connectionStateChanged', (state: string) => {
    if (state === C.CONNECTION_STATE.RECONNECTING && loggedIn) wasLost = true
    if (state === C.CONNECTION_STATE.OPEN && wasLost) {
      wasLost = false
      options.onReconnected()
    }
  })

  const timeoutMs = options.loginTimeoutMs ?? 10_000
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      client.login(authData),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new PublisherLoginError(`no deepstream login within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } catch (error) {
    client.close()
    throw error instanceof PublisherLoginError ? error : new PublisherLoginError('deepstream refused the service token', { cause: error })
  } finally {
    clearTimeout(timer)
  }
  loggedIn = true

  return {
    publish: (topic, data) => client.event.emit(topic, data as JSONObject),
    close: () => client.close(),
  }
}
