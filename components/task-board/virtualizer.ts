import type * as VirtualizeModule from '@lit-labs/virtualizer/virtualize.js'
import { lazyModule } from '../internal/lazy-module.ts'
import type * as ColumnLayoutModule from './column-layout.ts'

/** The virtualizer's `virtualize` directive module (`@lit-labs/virtualizer`), and the layout columns use. */
export type VirtualizerModule = typeof VirtualizeModule & typeof ColumnLayoutModule

/**
 * Only a column longer than its threshold needs the virtualizer, and it is
 * about a sixth of what a page loads besides the realtime client, so it
 * comes in a chunk of its own that a board starts loading when it first
 * renders for a signed-in user, well before a long list has arrived.
 */
const module = lazyModule<VirtualizerModule>(() =>
  Promise.all([import('@lit-labs/virtualizer/virtualize.js'), import('./column-layout.ts')]).then(([directive, layout]) => ({
    ...directive,
    ...layout,
  })),
)

/** The virtualizer, once loaded. */
export function virtualizer(): VirtualizerModule | undefined {
  return module.value
}

/** Loads the virtualizer (once); a failed load is tried again by the next call. */
export function loadVirtualizer(): Promise<VirtualizerModule> {
  return module.load()
}
