import { RtPresence } from './presence.component.ts'
import { registerVersion } from '../internal/versions.ts'

// The class and every public type of the tag; `components/index.ts` re-exports this file whole.
export * from './presence.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition,
// and one of another version says so once (registerVersion).
registerVersion()
if (!customElements.get('rt-presence')) customElements.define('rt-presence', RtPresence)

declare global {
  interface HTMLElementTagNameMap {
    'rt-presence': RtPresence
  }
}
