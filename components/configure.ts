import { createKit } from '../services/index.ts'
import type { Kit, KitOptions } from '../services/index.ts'
import { readDefaultKit, readDefaultKitOrigin, writeDefaultKit } from './internal/default-kit.ts'
import { kitKey, resolveKitUrls } from './internal/resolve-urls.ts'

/**
 * Sets the page-wide default facade that every rtkit tag uses when no
 * `<rt-provider>` above it supplies one. Call it once, before or after the
 * tags appear: tags already on the page pick it up at once.
 *
 * - `configure({ apiUrl, realtimeUrl })` creates a facade (relative URLs are
 *   resolved against the page). Calling it again with the same URLs returns
 *   the same facade, so two scripts on one page share one WebSocket.
 * - `configure(kit)` uses a facade you created yourself (you dispose it).
 * - `configure(null)` removes the default (disposing it if `configure` created it).
 *
 * The default is kept under `Symbol.for('rtkit.defaultKit')` on `globalThis`,
 * so separately loaded rtkit bundles agree on it.
 *
 * @returns the default facade now in effect
 * @example
 * import { configure } from 'rtkit'
 * const kit = configure({ apiUrl: 'https://api.example.com', realtimeUrl: 'wss://rt.example.com/deepstream' })
 * await kit.login('alice', 'rtkit-demo')
 */
export function configure(options: KitOptions): Kit
export function configure(kit: Kit): Kit
export function configure(none: null): undefined
export function configure(input: KitOptions | Kit | null): Kit | undefined {
  const previous = readDefaultKit()
  const origin = readDefaultKitOrigin()
  let next: Kit | undefined
  let key: string | undefined
  let owned = false
  if (input === null) {
    next = undefined
  } else if (isKit(input)) {
    next = input
  } else {
    key = kitKey(input)
    if (previous && origin.key === key) return previous
    next = createKit({ ...input, ...resolveKitUrls(input) })
    owned = true
  }
  if (next === previous) return next
  writeDefaultKit(next, key, owned)
  if (previous && origin.owned) void previous.dispose()
  return next
}

function isKit(value: KitOptions | Kit): value is Kit {
  return typeof (value as Partial<Kit>).tasks$ === 'function'
}
