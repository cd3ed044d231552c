import { EVENT_ACTION, PRESENCE_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { Message } from '@deepstream/protobuf/dist/types/messages'
import { DeepstreamPlugin, type DeepstreamPermission, type PermissionCallback, type SocketWrapper } from '@deepstream/types'
import { Role, type Principal } from '../../contracts/principal.ts'
import { SESSION_TOPIC, type SessionRefresh } from '../../contracts/realtime.ts'
import { mayPerform, RealtimeAction } from './access-rules.ts'
import type { Verifier } from '../lib/tokens.ts'
import { HIDDEN_FROM_PRESENCE, sessionData, verifyForRealtime, type SessionData } from './jwt-authentication.ts'
import type { SessionRegistry } from './session-registry.ts'
import { enforceExpiry } from './session-expiry.ts'

/** Event topics one socket may subscribe to at once, unless configured (`RTKIT_REALTIME_MAX_SUBSCRIPTIONS`): a page of tags needs a handful. */
export const DEFAULT_MAX_SUBSCRIPTIONS = 1_000

const PRESENCE_ACTIONS = new Set<number>([
  PRESENCE_ACTION.SUBSCRIBE,
  PRESENCE_ACTION.SUBSCRIBE_ALL,
  PRESENCE_ACTION.UNSUBSCRIBE,
  PRESENCE_ACTION.UNSUBSCRIBE_ALL,
  PRESENCE_ACTION.QUERY,
  PRESENCE_ACTION.QUERY_ALL,
])

/** Maps a deepstream message to the action {@link mayPerform} judges. */
export function actionOf(message: Pick<Message, 'topic' | 'action'>): RealtimeAction {
  if (message.topic === TOPIC.EVENT) {
    if (message.action === EVENT_ACTION.SUBSCRIBE) return RealtimeAction.subscribe
    if (message.action === EVENT_ACTION.UNSUBSCRIBE) return RealtimeAction.unsubscribe
    if (message.action === EVENT_ACTION.EMIT) return RealtimeAction.publish
  }
  if (message.topic === TOPIC.PRESENCE && PRESENCE_ACTIONS.has(message.action)) return RealtimeAction.presence
  return RealtimeAction.other
}

/** The principal the authentication plugin stored in `serverData`, if well-formed. */
function principalOf(socket: SocketWrapper): Principal | undefined {
  const data = socket.serverData as Partial<SessionData> | null
  if (!data || typeof data.id !== 'string') return undefined
  if (data.role !== Role.user && data.role !== Role.service) return undefined
  // Only the authentication plugin sets both; a mismatch means something else did.
  const userId = data.role === Role.service ? HIDDEN_FROM_PRESENCE : data.id
  if (socket.userId !== userId) return undefined
  return { id: data.id, username: String(data.username), name: String(data.name), role: data.role, access: data.access }
}

/** The token a session-refresh message carries, if any. */
function refreshToken(message: Message): string | undefined {
  let data: unknown = (message as Message & { parsedData?: unknown }).parsedData
  if (data === undefined && message.data !== undefined) {
    try {
      data = JSON.parse(String(message.data))
    } catch {
      return undefined
    }
  }
  const token = (data as Partial<SessionRefresh> | null)?.token
  return typeof token === 'string' ? token : undefined
}

/**
 * deepstream permissions derived from the collection declarations (see
 * {@link mayPerform}) instead of a separate YAML file, so one change to a
 * `read` rule changes both the HTTP API and realtime.
 *
 * @example
 * server.set('permission', new CollectionPermission(verifier, sessions))
 */
export class CollectionPermission extends DeepstreamPlugin implements DeepstreamPermission {
  description = 'rtkit collection permissions'

  /** The event topics each connection has subscribed to, to bound them (a socket took 100,000 before). */
  readonly #subscribed = new WeakMap<SocketWrapper, Set<string>>()

  constructor(
    private readonly verifier: Verifier,
    private readonly sessions: SessionRegistry,
    private readonly checkSessions = true,
    private readonly maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS,
  ) {
    super()
  }

  canPerformAction(socket: SocketWrapper, message: Message, callback: PermissionCallback, passItOn: unknown): void {
    const principal = principalOf(socket)
    // The bridge's service token never leaves the process; ending its session
    // hourly would only force a resync on every client.
    const live = principal?.role === Role.service || (this.#notRevoked(socket) && enforceExpiry(socket))
    const action = actionOf(message)
    const allowed =
      principal !== undefined &&
      live &&
      mayPerform(principal, action, message.name ?? '') &&
      this.#withinLimit(socket, action, message.name ?? '')
    // A refresh is handled here, on the node the client is connected to, and
    // then refused: an allowed publication would go to every other node over
    // the cluster bus (Redis pub/sub), token and all. The client expects the
    // refusal (`MESSAGE_DENIED`), as it expects no answer to an event.
    const refresh = allowed && action === RealtimeAction.publish && message.name === SESSION_TOPIC
    if (refresh) void this.#refresh(socket, principal, refreshToken(message))
    // Answer on a microtask, in order. deepstream 7 checks a bulk subscription
    // name by name, and a denial splices the shared `names` array: answering
    // synchronously would shift the names still to be checked.
    queueMicrotask(() => {
      if (!allowed && isBulkCheck(passItOn)) {
        // deepstream then drops the denied name with
        // `names.splice(names.indexOf(originalMessage.name), 1)`, but a bulk
        // message has no `name`, so it would drop the last name instead and
        // let the denied subscription through. Naming it removes the right one.
        passItOn.originalMessage.name = message.name
      }
      callback(socket, message, passItOn, null, allowed && !refresh)
    })
  }

  /**
   * Counts the distinct topics a connection has subscribed to: a new one past
   * {@link maxSubscriptions} is refused (`MESSAGE_DENIED`, as any refused
   * subscription). deepstream does not consult permissions on unsubscribe, so
   * the count is per connection, not of what it holds now: a reconnect starts
   * afresh, and the default is far above what a page of tags uses.
   */
  #withinLimit(socket: SocketWrapper, action: RealtimeAction, topic: string): boolean {
    if (action !== RealtimeAction.subscribe) return true
    let topics = this.#subscribed.get(socket)
    if (!topics) this.#subscribed.set(socket, (topics = new Set()))
    if (topics.has(topic)) return true
    if (topics.size >= this.maxSubscriptions) return false
    topics.add(topic)
    return true
  }

  /**
   * `false` (and the socket closed) when the session's token was signed out:
   * the registry closes such sockets as it hears of the revocation, and this
   * refuses anything one still sends meanwhile.
   */
  #notRevoked(socket: SocketWrapper): boolean {
    if (!this.sessions.isRevoked(socket)) return true
    if (!socket.isClosed) socket.destroy()
    return false
  }

  /**
   * Extends a session with a fresh token of the same user from the same
   * issuer: the session then ends at the new expiry, and a logout of the new
   * token ends it. A token that fails, or names someone else, changes nothing
   * (the session still ends when the old token expires).
   */
  async #refresh(socket: SocketWrapper, principal: Principal, token: string | undefined): Promise<void> {
    const current = socket.serverData as unknown as SessionData
    try {
      const fresh = await verifyForRealtime(this.verifier, token, this.checkSessions)
      if (fresh.principal.id !== principal.id || fresh.source !== current.source || socket.isClosed) return
      socket.serverData = { ...sessionData(fresh) } as unknown as typeof socket.serverData
      this.sessions.observe(socket)
      enforceExpiry(socket)
    } catch {
      // Not a usable token: the session keeps its current expiry.
    }
  }
}

/** The `passItOn` deepstream's message processor uses for one name of a bulk message. */
function isBulkCheck(passItOn: unknown): passItOn is { originalMessage: Message } {
  return typeof passItOn === 'object' && passItOn !== null && 'originalMessage' in passItOn
}
