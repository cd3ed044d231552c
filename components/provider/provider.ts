import { RtProvider } from './provider.component.ts'
import { registerVersion } from '../internal/versions.ts'

// The class and every public type of the tag; `components/index.ts` re-exports this file whole.
export * from './provider.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition,
// and one of another version says so once (registerVersion).
registerVersion()
if (!customElements.get('rt-provider')) customElements.define('rt-provider', RtProvider)

declare global {
  interface HTMLElementTagNameMap {
    'rt-provider': RtProvider
  }
}
