import { RtProvider } from './provider.component.ts'

export { RtProvider }

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition.
if (!customElements.get('rt-provider')) customElements.define('rt-provider', RtProvider)

declare global {
  interface HTMLElementTagNameMap {
    'rt-provider': RtProvider
  }
}
