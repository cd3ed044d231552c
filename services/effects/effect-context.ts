import type { HostTokenSource } from '../auth/host-token.ts'
import type { HttpGateway } from '../gateways/http-gateway.ts'
import type { RealtimeGateway } from '../gateways/realtime-gateway.ts'
import { sessionExpired } from '../state/session.ts'
import type { KeyValueStorage } from '../storage/key-value-storage.ts'
import type { TabPresence } from '../storage/tab-presence.ts'

/** What the effects need from outside, injected by `createKit` (and by tests). */
export interface EffectContext {
  readonly http: HttpGateway
  readonly realtime: RealtimeGateway
  readonly storage: KeyValueStorage
  /** Prefix of storage keys. */
  readonly storageKey: string
  /** This tab, and which others are open (the command queue is kept per tab). */
  readonly tabs: TabPresence
  readonly newId: () => string
  /** ISO-8601 now. */
  readonly now: () => string
  /** Page size of live-query fetches. */
  readonly pageSize: number
  /** Set when the host app signs users in (`authEndpoint`): tokens come from it, never from a login form. */
  readonly hostToken?: HostTokenSource | undefined
}

/** The "session expired" action, built in this one place (with the message users see). */
export function expiredSession(context: Pick<EffectContext, 'newId' | 'now'>): ReturnType<typeof sessionExpired> {
  return sessionExpired({ errorId: context.newId(), at: context.now(), message: 'Your session has expired; please sign in again.' })
}

/** Storage key of the session. */
export function sessionStorageKey(context: Pick<EffectContext, 'storageKey'>): string {
  return `${context.storageKey}:session`
}
