import type { Kit, KitOptions } from '../../services/index.ts'

/**
 * The page-wide default facade that `configure()` sets, kept on `globalThis`
 * under a registered symbol. Every copy of rtkit on the page (an npm import
 * and a `<script>` bundle, say) reads and writes the same slot, so all tags
 * share one facade and one WebSocket.
 *
 * The slot is the one documented singleton of the components layer; tags
 * use it only when no `<rt-provider>` above them supplies a facade. Copies
 * of rtkit older than the shared kits know only `kit`, `key`, `owned` and
 * `changes`; the other fields are optional for them.
 */
interface DefaultKitSlot {
  kit: Kit | undefined
  /** Identifies what created `kit` (its options), for older copies' `configure()`. */
  key: string | undefined
  /** Older copies dispose an owned default when replacing it; a shared kit is never owned (the registry disposes it). */
  owned: boolean
  /** Fires `change` whenever `kit` is replaced. */
  readonly changes: EventTarget
  /** How many `configure()` calls hold the default; the last `configure(null)` removes it. */
  holders?: number
  /** The options `kit` was made from, when `configure(options)` made it. */
  options?: KitOptions | undefined
  /** Lets go of the shared kit, when `configure(options)` made it. */
  release?: (() => void) | undefined
}

/** What `configure()` keeps about the default. */
export interface DefaultKit {
  kit: Kit
  key?: string | undefined
  holders: number
  options?: KitOptions | undefined
  release?: (() => void) | undefined
}

const SLOT = Symbol.for('rtkit.defaultKit')

function slot(): DefaultKitSlot {
  const global = globalThis as typeof globalThis & { [SLOT]?: DefaultKitSlot }
  global[SLOT] ??= { kit: undefined, key: undefined, owned: false, changes: new EventTarget() }
  return global[SLOT]
}

/** The configured default facade, if any. */
export function readDefaultKit(): Kit | undefined {
  return slot().kit
}

/** The default with what `configure()` recorded about it, if there is one. */
export function readDefaultKitRecord(): DefaultKit | undefined {
  const { kit, key, holders, options, release } = slot()
  return kit ? { kit, key, holders: holders ?? 1, options, release } : undefined
}

/** Records a change of holders without replacing the default. */
export function setDefaultKitHolders(holders: number): void {
  slot().holders = holders
}

/** Replaces the default (or removes it) and tells every connected tag. */
export function writeDefaultKit(next: DefaultKit | undefined): void {
  const current = slot()
  current.kit = next?.kit
  current.key = next?.key
  current.owned = false
  current.holders = next?.holders
  current.options = next?.options
  current.release = next?.release
  current.changes.dispatchEvent(new Event('change'))
}

/** Calls `listener` whenever the default facade changes; returns the function that stops it. */
export function watchDefaultKit(listener: () => void): () => void {
  const { changes } = slot()
  changes.addEventListener('change', listener)
  return () => changes.removeEventListener('change', listener)
}
