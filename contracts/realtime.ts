import type { Doc } from './documents.ts'

/** deepstream topic carrying changes of one partition of one collection. */
export function topicFor(collection: string, partition: string): string {
  return `${collection}/${partition}`
}

/** Splits a collection topic; `undefined` when `topic` is not one. */
export function parseTopic(topic: string): { collection: string; partition: string } | undefined {
  const slash = topic.indexOf('/')
  if (slash <= 0 || slash === topic.length - 1) return undefined
  return { collection: topic.slice(0, slash), partition: topic.slice(slash + 1) }
}

/** Published by the bridge when it may have missed changes; every live query refetches. */
export const RESYNC_TOPIC = 'rtkit/resync'

/** The event the bridge publishes on a collection topic. */
export type ChangeEvent<T extends object = Record<string, unknown>> =
  { op: 'upsert'; doc: Doc<T>; version: number } | { op: 'remove'; id: string; version: number }

/**
 * A client publishes `{ token }` here to extend its realtime session with a
 * fresh token of the same user (a host's token refreshed before expiry),
 * without reconnecting. Nobody may subscribe to it. The node the client is
 * connected to acts on it and answers `MESSAGE_DENIED`: the publication
 * stops there, so the token never crosses the cluster bus.
 */
export const SESSION_TOPIC = 'rtkit/session'

/** Payload of {@link SESSION_TOPIC}. */
export interface SessionRefresh {
  token: string
}

/** Payload of {@link RESYNC_TOPIC}. */
export interface ResyncEvent {
  reason: string
  at: string
}

/** deepstream `clientData` for a logged-in user; presence shows these. */
export interface RealtimeClientData {
  id: string
  username: string
  name: string
}
