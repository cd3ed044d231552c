/**
 * A signed-out page does not load the kit's signed-in half: the page with
 * every tag (`components/index.ts`), bundled with code splitting as bench
 * `bundle.signedOut` bundles it, has none of the half's modules in the files
 * it fetches before a dynamic import runs. Fails when `createKit` imports the
 * half statically, or when a module the first load reaches re-exports a part
 * of it (esbuild splits by file: a module an import reaches is in the chunk),
 * or when the root reducer imports the live queries' reducer again.
 */
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { signedOutFirstLoad } from '../bench/figures/bundle-size.ts'
import * as contractsEntry from '../contracts/package-entry.ts'
import * as packageEntry from './package-entry.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Modules only a session needs (`signed-in.ts` and what only it imports). */
const SIGNED_IN = [
  'services/signed-in.ts',
  'services/effects/command-effects.ts',
  'services/effects/live-query-effects.ts',
  'services/effects/realtime-effects.ts',
  'services/gateways/deepstream-gateway.ts',
  'services/live/partition-views.ts',
  'services/live/presence.ts',
  'services/live/server-collections.ts',
  'services/live/change-feed.ts',
  'services/live/sorted-view.ts',
  'services/live/overlay.ts',
  'services/storage/queue-store.ts',
  'services/storage/tab-presence.ts',
  // The live queries' partitions: their reducer is added to the store when the half starts.
  'services/state/collections-reducer.ts',
  'services/live/merge.ts',
  'services/live/partition-state.ts',
  'services/live/id-map.ts',
  // Client code imports these from their own modules (rtkit/contracts still exports them).
  'contracts/lru-cache.ts',
  'contracts/realtime.ts',
  'contracts/compare-by-fields.ts',
  // Asking the host for tokens: a kit with an auth endpoint loads the half as it starts.
  'services/effects/host-session-effects.ts',
  'services/auth/host-token.ts',
  'services/state/next-command.ts',
]

describe('a signed-out page with every tag', () => {
  it('loads the signed-out kit first and the signed-in half only on demand', { timeout: 120_000 }, async () => {
    const firstLoad = await signedOutFirstLoad(root, join(root, 'components', 'index.ts'))

    assert.ok(firstLoad.sources.has('services/create-kit.ts'), 'the signed-out kit is in the first load')
    const early = SIGNED_IN.filter((file) => firstLoad.sources.has(file))
    assert.deepEqual(early, [], 'no module of the signed-in half is in the first load')
    assert.ok(firstLoad.deferred > 0, 'the half is a chunk of its own')
  })

  it('still finds what left the indexes in rtkit/services and rtkit/contracts', () => {
    assert.equal(typeof packageEntry.DeepstreamGateway, 'function')
    assert.equal(typeof packageEntry.HostTokenError, 'function')
    assert.equal(typeof packageEntry.createKit, 'function')
    assert.equal(typeof contractsEntry.LruCache, 'function')
    assert.equal(typeof contractsEntry.compareByFields, 'function')
    assert.equal(typeof contractsEntry.topicFor, 'function')
    assert.equal(contractsEntry.RESYNC_TOPIC.length > 0, true)
    assert.equal(typeof contractsEntry.describeCollection, 'function')
  })
})
