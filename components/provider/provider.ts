import { RtProvider } from './provider.component.ts'

// The class and every public type of the tag; `components/index.ts` re-exports this file whole.
export * from './provider.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition.
if (!customElements.get('rt-provider')) customElements.define('rt-provider', RtProvider)

declare global {
  interface HTMLElementTagNameMap {
    'rt-provider': RtProvider
  }
}
