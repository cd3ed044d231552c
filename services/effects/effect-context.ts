import type { HttpGateway } from '../gateways/http-gateway.ts'
import type { RealtimeGateway } from '../gateways/realtime-gateway.ts'
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
}

/** Storage key of the session. */
export function sessionStorageKey(context: Pick<EffectContext, 'storageKey'>): string {
  return `${context.storageKey}:session`
}
