import { RtChat } from './chat.component.ts'
import { registerVersion } from '../internal/versions.ts'

// The class and every public type of the tag; `components/index.ts` re-exports this file whole.
export * from './chat.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition,
// and one of another version says so once (registerVersion).
registerVersion()
if (!customElements.get('rt-chat')) customElements.define('rt-chat', RtChat)

declare global {
  interface HTMLElementTagNameMap {
    'rt-chat': RtChat
  }
}
