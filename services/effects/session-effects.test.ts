import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Session } from '../../contracts/index.ts'
import { Store } from '../core/store.ts'
import type { HttpGateway } from '../gateways/http-gateway.ts'
import type { RealtimeGateway } from '../gateways/realtime-gateway.ts'
import { initialKitState, kitReducer, type KitState } from '../state/root.ts'
import { signedIn, signedOut } from '../state/session.ts'
import type { KeyValueStorage } from '../storage/key-value-storage.ts'
import { tabPresence } from '../storage/tab-presence.ts'
import { sessionStorageKey, type EffectContext } from './effect-context.ts'
import { sessionEffects } from './session-effects.ts'

const session: Session = { token: 't', user: { id: 'alice', username: 'alice', name: 'Alice' }, expiresAt: 2e9 }

describe('sessionEffects', () => {
  it('forgets the session on sign-out even when async storage finishes the earlier sign-in write last', async () => {
    // Prepare: writes are slow, removals fast.
    const values = new Map<string, string>()
    const storage: KeyValueStorage = {
      get: (key) => values.get(key) ?? null,
      set: async (key, value) => {
        await new Promise((resolve) => setTimeout(resolve, 30))
        values.set(key, value)
      },
      remove: (key) => {
        values.delete(key)
      },
    }
    const context: EffectContext = {
      http: {} as HttpGateway,
      realtime: {} as RealtimeGateway,
      storage,
      storageKey: 'test',
      tabs: tabPresence('test', 'tab-1'),
      newId: () => 'id',
      now: () => '2024-01-01T00:00:00.000Z',
      pageSize: 10,
    }
    const store = new Store<KitState>(kitReducer, initialKitState)
    store.addEffect(sessionEffects(context), 'session')

    // Act: sign in, then out straight away.
    store.dispatch(signedIn({ requestId: 'r', session }))
    store.dispatch(signedOut({ reason: 'logout' }))
    await new Promise((resolve) => setTimeout(resolve, 60))
    store.dispose()

    // Assess: a reload would not sign alice back in.
    assert.equal(values.get(sessionStorageKey(context)), undefined)
  })
})
