import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Store } from './core/store.ts'
import { kitStarted } from './effects/session-effects.ts'
import { signedInLoader } from './signed-in-loader.ts'
import { initialKitState, kitReducer, type KitState } from './state/root.ts'
import { selectErrors } from './state/selectors.ts'
import { loginRequested, nothingRestored, signInFailed } from './state/session.ts'
import { waitFor } from './testing/wait.ts'

const at = '2024-01-01T00:00:00.000Z'

/** A store with the loader on `load`; what it started and how often it tried. */
function loaderOn(load: (attempt: number) => Promise<string>) {
  const store = new Store<KitState>(kitReducer, initialKitState)
  const seen = { attempts: 0, started: [] as string[] }
  let ids = 0
  store.addEffect(
    signedInLoader({
      load: () => load(++seen.attempts),
      start: (module) => seen.started.push(module),
      hostSignIn: false,
      newId: () => `id-${++ids}`,
      now: () => at,
    }),
  )
  return { store, seen }
}

const signIn = (store: Store<KitState>, requestId: string) =>
  store.dispatch(loginRequested({ requestId, username: 'alice', password: 'rtkit-demo' }))

describe('signedInLoader', () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  beforeEach(() => {
    unhandled.length = 0
    process.on('unhandledRejection', onUnhandled)
  })
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled)
  })

  describe('when nobody signs in', () => {
    it('never loads the half', async () => {
      const { store, seen } = loaderOn(async () => 'half')
      store.dispatch(kitStarted({}))
      store.dispatch(nothingRestored({}))
      await new Promise((resolve) => setImmediate(resolve))
      assert.equal(seen.attempts, 0)
      store.dispose()
    })
  })

  describe('when the import fails', () => {
    it('reports it in errors$ (no unhandled rejection), tries again, starts the half once and dismisses the report', async () => {
      const { store, seen } = loaderOn(async (attempt) => {
        if (attempt === 1) throw new TypeError('Failed to fetch dynamically imported module')
        return 'half'
      })

      signIn(store, 'r1')

      const [report] = await waitFor(store.select(selectErrors), (errors) => errors.length === 1, 'the report')
      assert.equal(report!.code, 'load_failed')
      assert.match(report!.message, /Failed to fetch dynamically imported module/)
      await waitFor(store.select(selectErrors), (errors) => errors.length === 0, 'the report dismissed once the retry loaded it')
      assert.equal(seen.attempts, 2)
      assert.deepEqual(seen.started, ['half'])
      assert.deepEqual(unhandled, [])
      store.dispose()
    })

    it('stops trying when the sign-in fails, and tries again at the next one', async () => {
      let fail = true
      const { store, seen } = loaderOn(async () => {
        if (fail) throw new TypeError('offline')
        return 'half'
      })
      signIn(store, 'r1')
      await waitFor(store.select(selectErrors), (errors) => errors.length === 1, 'the report')

      store.dispatch(signInFailed({ requestId: 'r1', error: new Error('offline') }))
      fail = false
      signIn(store, 'r2')
      await waitFor(store.select(selectErrors), (errors) => errors.length === 0, 'the report dismissed')

      assert.equal(seen.attempts, 2, 'the second sign-in tried at once, not after the backoff')
      assert.deepEqual(seen.started, ['half'])
      assert.deepEqual(unhandled, [])
      store.dispose()
    })
  })

  describe('when it loads', () => {
    it('starts the half once, however many sessions follow', async () => {
      const { store, seen } = loaderOn(async () => 'half')
      signIn(store, 'r1')
      await new Promise((resolve) => setImmediate(resolve))
      assert.deepEqual(seen.started, ['half'])
      signIn(store, 'r2')
      await new Promise((resolve) => setImmediate(resolve))
      assert.equal(seen.attempts, 1)
      assert.deepEqual(seen.started, ['half'])
      store.dispose()
    })
  })
})
