import type { AuthEndpoint } from '../auth/host-token.ts'
import type { HttpGateway } from '../gateways/http-gateway.ts'
import type { RealtimeGateway } from '../gateways/realtime-gateway.ts'
import { sessionExpired } from '../state/session.ts'
import type { KeyValueStorage } from '../storage/key-value-storage.ts'
import type { TabPresence } from '../storage/tab-presence.ts'

/** What the session effects need, the part of a kit a signed-out page loads (built by `createKit` at once). */
export interface SessionContext {
  readonly http: HttpGateway
  readonly storage: KeyValueStorage
  /** Prefix of storage keys. */
  readonly storageKey: string
  readonly newId: () => string
  /** ISO-8601 now. */
  readonly now: () => string
  /** Set when the host app signs users in: tokens come from it, never from a login form (asked by the signed-in half). */
  readonly authEndpoint?: AuthEndpoint | undefined
}

/** What every effect needs from outside: the session's context plus what the signed-in half (`signed-in.ts`) builds when it loads. */
export interface EffectContext extends SessionContext {
  readonly realtime: RealtimeGateway
  /** This tab, and which others are open (the command queue is kept per tab). */
  readonly tabs: TabPresence
  /** Page size of live-query fetches. */
  readonly pageSize: number
}

/** The "session expired" action, built in this one place (with the message users see). */
export function expiredSession(context: Pick<EffectContext, 'newId' | 'now'>): ReturnType<typeof sessionExpired> {
  return sessionExpired({ errorId: context.newId(), at: context.now(), message: 'Your session has expired; please sign in again.' })
}

/** Storage key of the session. */
export function sessionStorageKey(context: Pick<EffectContext, 'storageKey'>): string {
  return `${context.storageKey}:session`
}
