import { partitionValue } from '../../contracts/collection.ts'
import { findCollection } from '../collections/registry.ts'
import { Role, type Principal } from '../../contracts/principal.ts'
import { parseTopic, RESYNC_TOPIC, SESSION_TOPIC } from '../../contracts/realtime.ts'

/**
 * What a realtime client asks to do, in deepstream's terms but without its
 * message types, so the rules stay a pure function that tests call directly.
 */
export const RealtimeAction = {
  /** Subscribe to an event topic. */
  subscribe: 'subscribe',
  /** Stop receiving an event topic; always allowed, it only narrows access. */
  unsubscribe: 'unsubscribe',
  /** Emit an event on a topic. */
  publish: 'publish',
  /** Subscribe to, or query, who is online. */
  presence: 'presence',
  /** Anything else: records, RPC, listening, monitoring. */
  other: 'other',
} as const
export type RealtimeAction = (typeof RealtimeAction)[keyof typeof RealtimeAction]

/**
 * Whether `user` may perform `action` on the event `topic`. Derived from the
 * collection declarations, the one source of truth for who reads what:
 *
 * - subscribe to `<collection>/<partition>` if the collection's `read` rule
 *   allows that partition; to {@link RESYNC_TOPIC} if logged in;
 * - publish on collection topics and {@link RESYNC_TOPIC} only as the
 *   service (the bridge), because clients write through the HTTP API;
 * - publish on {@link SESSION_TOPIC} as a user, to refresh the session's token;
 * - presence for every logged-in principal, so clients see who is online;
 * - nothing else (least privilege).
 *
 * @example
 * mayPerform(alice, RealtimeAction.subscribe, 'tasks/launch') // true
 * mayPerform(alice, RealtimeAction.publish, 'tasks/launch')   // false
 */
export function mayPerform(user: Principal, action: RealtimeAction, topic = ''): boolean {
  switch (action) {
    case RealtimeAction.unsubscribe:
    case RealtimeAction.presence:
      return true
    case RealtimeAction.subscribe:
      if (topic === RESYNC_TOPIC) return true
      return mayRead(user, topic)
    case RealtimeAction.publish:
      // A session refresh reaches nobody: the permission plugin acts on it and stops it there, never forwarded to other nodes.
      if (topic === SESSION_TOPIC) return user.role === Role.user
      if (user.role !== Role.service) return false
      return topic === RESYNC_TOPIC || isCollectionTopic(topic)
    default:
      return false
  }
}

function mayRead(user: Principal, topic: string): boolean {
  const parsed = parseTopic(topic)
  const declaration = parsed && findCollection(parsed.collection)
  // Partitions are plain by contract; anything else is not a topic we serve.
  if (!parsed || !declaration || !partitionValue().safeParse(parsed.partition).success) return false
  try {
    return declaration.rules.read(user, parsed.partition) === true
  } catch {
    // A rule that throws denies; a bug in one rule must not open a topic.
    return false
  }
}

function isCollectionTopic(topic: string): boolean {
  const parsed = parseTopic(topic)
  return parsed !== undefined && findCollection(parsed.collection) !== undefined
}
