import { isKit, type Kit, type KitOptions } from '../services/index.ts'
import { readDefaultKitRecord, setDefaultKitHolders, writeDefaultKit } from './internal/default-kit.ts'
import { optionConflicts } from './internal/kit-options.ts'
import { acquireKit, warnOnce } from './internal/kit-registry.ts'
import { kitKey } from './internal/resolve-urls.ts'

/**
 * Sets the page-wide default facade that every rtkit tag uses when no
 * `<rt-provider>` above it supplies one. Call it once, before or after the
 * tags appear: tags already on the page pick it up at once.
 *
 * - `configure({ apiUrl, realtimeUrl })` takes the page's shared facade for
 *   those URLs and storage key (relative URLs are resolved against the
 *   page), the same one an `<rt-provider>` with the same URLs uses, so
 *   scripts and bundles on one page share one session and one WebSocket.
 * - `configure(kit)` uses a facade you created yourself (you dispose it).
 * - The first call wins. A later call with other options (another
 *   `apiUrl`, `storageKey`, `authEndpoint`, `requestTimeoutMs`, …) or
 *   another kit keeps the default in effect, returns it, and
 *   `console.warn`s once, naming the option and both values; it never
 *   disposes a kit someone uses. A part of the page that needs a kit of its
 *   own uses `<rt-provider>` (its own URLs or `storage-key`) or `createKit`.
 * - `configure(null)` lets go of one call's hold: the default is removed
 *   when every call that set or took it has let go, and the facade is
 *   disposed once no `<rt-provider>` shares it either.
 *
 * The default is kept under `Symbol.for('rtkit.defaultKit')` on `globalThis`
 * and the shared facades under `Symbol.for('rtkit.kits/1')`, so separately
 * loaded rtkit bundles agree on them.
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
  const current = readDefaultKitRecord()
  if (input === null) {
    if (!current) return undefined
    if (current.holders > 1) {
      setDefaultKitHolders(current.holders - 1)
      return current.kit
    }
    writeDefaultKit(undefined)
    current.release?.()
    return undefined
  }
  if (current) {
    warnConflicts(current.kit, current.options, input)
    setDefaultKitHolders(current.holders + 1)
    return current.kit
  }
  if (isKit(input)) {
    writeDefaultKit({ kit: input, holders: 1 })
    return input
  }
  const lease = acquireKit(input, 'configure()')
  writeDefaultKit({ kit: lease.kit, key: kitKey(input), holders: 1, options: input, release: () => lease.release() })
  return lease.kit
}

/** Warns (once per page) about whatever in `input` differs from the default in effect. */
function warnConflicts(kit: Kit, options: KitOptions | undefined, input: KitOptions | Kit): void {
  const keeps = 'configure() keeps the default already in effect and returns it (use <rt-provider> or createKit for a kit of its own)'
  if (isKit(input)) {
    if (input !== kit) warnOnce(`rtkit: configure(kit) was given another kit than the page's default; ${keeps}.`)
    return
  }
  if (!options) {
    warnOnce(`rtkit: configure(options) was called while the page's default is a kit made with createKit; ${keeps}.`)
    return
  }
  for (const { option, first, next } of optionConflicts(options, input)) {
    warnOnce(`rtkit: configure() was called with ${option} ${next}, but the page's default has ${option} ${first}; ${keeps}.`)
  }
}
