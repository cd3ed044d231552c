import { RtLogin } from './login.component.ts'

export { RtLogin }
export { LoginMode } from './login.component.ts'
export type { SignedInDetail } from './login.component.ts'

// Guarded: a second copy of rtkit on the page (another bundle) reuses the first definition.
if (!customElements.get('rt-login')) customElements.define('rt-login', RtLogin)

declare global {
  interface HTMLElementTagNameMap {
    'rt-login': RtLogin
  }
}
