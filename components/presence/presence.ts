import { RtPresence } from './presence.component.ts'

export { RtPresence }
export type { PresenceChangeDetail } from './presence.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition.
if (!customElements.get('rt-presence')) customElements.define('rt-presence', RtPresence)

declare global {
  interface HTMLElementTagNameMap {
    'rt-presence': RtPresence
  }
}
