import type { Kit } from '../../services/index.ts'

/**
 * The page-wide default facade that `configure()` sets, kept on `globalThis`
 * under a registered symbol. Every copy of rtkit on the page (an npm import
 * and a `<script>` bundle, say) reads and writes the same slot, so all tags
 * share one facade and one WebSocket.
 *
 * The slot is the one documented singleton of the components layer; tags
 * use it only when no `<rt-provider>` above them supplies a facade.
 */
interface DefaultKitSlot {
  kit: Kit | undefined
  /** Identifies what created `kit` (e.g. its URLs), so a repeated `configure()` with the same options reuses it. */
  key: string | undefined
  /** True when `configure()` created the facade from options, so it also disposes it. */
  owned: boolean
  /** Fires `change` whenever `kit` is replaced. */
  readonly changes: EventTarget
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

/** What `configure()` recorded about the current default. */
export function readDefaultKitOrigin(): { key: string | undefined; owned: boolean } {
  const { key, owned } = slot()
  return { key, owned }
}

/** Replaces the default and tells every connected tag. */
export function writeDefaultKit(kit: Kit | undefined, key: string | undefined, owned: boolean): void {
  const current = slot()
  current.kit = kit
  current.key = key
  current.owned = owned
  current.changes.dispatchEvent(new Event('change'))
}

/** Calls `listener` whenever the default facade changes; returns the function that stops it. */
export function watchDefaultKit(listener: () => void): () => void {
  const { changes } = slot()
  changes.addEventListener('change', listener)
  return () => changes.removeEventListener('change', listener)
}
