import type * as VirtualizeModule from '@lit-labs/virtualizer/virtualize.js'
import type * as ColumnLayoutModule from './column-layout.ts'

/** The virtualizer's `virtualize` directive module (`@lit-labs/virtualizer`), and the layout columns use. */
export type VirtualizerModule = typeof VirtualizeModule & typeof ColumnLayoutModule

let loaded: VirtualizerModule | undefined
let loading: Promise<VirtualizerModule> | undefined

/**
 * The virtualizer, once loaded. Only a column longer than its threshold
 * needs it, and it is about a sixth of what a page loads besides the
 * realtime client, so it comes in a chunk of its own (single-file builds
 * inline it) that a board starts loading when it first renders for a
 * signed-in user, well before a long list has arrived.
 */
export function virtualizer(): VirtualizerModule | undefined {
  return loaded
}

/** Loads the virtualizer (once); a failed load is tried again by the next call. */
export function loadVirtualizer(): Promise<VirtualizerModule> {
  loading ??= Promise.all([import('@lit-labs/virtualizer/virtualize.js'), import('./column-layout.ts')]).then(
    ([directive, layout]) => (loaded = { ...directive, ...layout }),
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}
