import { html, nothing } from 'lit'
import { property, state } from 'lit/decorators.js'
import type { UserProfile } from '../../contracts/index.ts'
import type { Kit } from '../../services/index.ts'
import { KitElement } from '../base/kit-element.ts'
import { emit } from '../internal/emit.ts'
import { formErrorsOf, type FormErrors } from '../internal/field-errors.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { loginStyles } from './login.styles.ts'

/** Which form `<rt-login>` shows while signed out. */
export const LoginMode = { login: 'login', register: 'register' } as const
export type LoginMode = (typeof LoginMode)[keyof typeof LoginMode]

/** Detail of `rt-login` and `rt-register`. */
export interface SignedInDetail {
  user: UserProfile
}

/** The events `<rt-login>` dispatches. */
export interface RtLoginEventMap {
  /** A user signed in through the form. */
  'rt-login': CustomEvent<SignedInDetail>
  /** A new account was created (and signed in) through the form. */
  'rt-register': CustomEvent<SignedInDetail>
  /** The user signed out with the button. */
  'rt-logout': CustomEvent<Record<string, never>>
}

declare global {
  interface GlobalEventHandlersEventMap extends RtLoginEventMap {}
}

const NO_ERRORS: FormErrors = { fields: {}, form: undefined }

/**
 * @summary Sign in, create an account, or sign out. Server errors (wrong password,
 * taken username, invalid fields) show next to the field they concern.
 *
 * Focus follows the user: after signing in it moves to the "Signed in as"
 * status, after signing out to the username field.
 *
 * When the host app signs its users in (the facade has an auth endpoint),
 * it shows who is signed in, or "Not signed in", and never a form: signing
 * in and out is the host page's own.
 *
 * @example
 * <rt-login></rt-login>
 * <rt-login mode="register"></rt-login>
 *
 * @event {CustomEvent<SignedInDetail>} rt-login - Signed in with the form.
 * @event {CustomEvent<SignedInDetail>} rt-register - Created an account and signed in.
 * @event {CustomEvent<Record<string, never>>} rt-logout - Signed out with the button.
 *
 * @csspart form - The sign-in / register form.
 * @csspart field - A label + input + error group.
 * @csspart input - Each text input.
 * @csspart field-error - The message under an invalid field.
 * @csspart form-error - The message about the whole form (e.g. wrong password).
 * @csspart submit - The submit button.
 * @csspart switch - The "Create an account" / "I have an account" toggle.
 * @csspart signed-in - The bar shown while signed in.
 * @csspart user - The signed-in user's name.
 * @csspart host-signed-out - "Not signed in", when the host app signs users in (an auth endpoint) and nobody is.
 * @csspart logout - The sign-out button.
 * @csspart notice - The "not configured" hint.
 *
 * @cssproperty --rt-login-width - Maximum width (default 22rem).
 * @cssproperty --rt-color-scheme - `light` (default), `dark`, or `auto` / `light dark` to follow the OS.
 * @cssproperty --rt-color-text - Text colour.
 * @cssproperty --rt-color-surface - Background.
 * @cssproperty --rt-color-border - Borders.
 * @cssproperty --rt-color-accent - Primary button and links.
 * @cssproperty --rt-color-danger - Error messages and invalid fields.
 * @cssproperty --rt-radius - Corner radius.
 * @cssproperty --rt-space - Base spacing.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtLogin extends KitElement {
  static override styles = [themeStyles, loginStyles]

  /** `login` shows the sign-in form, `register` the create-account form. */
  @property({ reflect: true }) mode: LoginMode = LoginMode.login

  @state() private busy = false
  @state() private errors: FormErrors = NO_ERRORS

  protected override renderWith(kit: Kit) {
    const session = this.session.value
    // The host app signs its users in: show who is signed in, never a form of ours.
    if (kit.authMode === 'host') {
      if (session?.status !== 'signedIn')
        return html`<p class="host-signed-out" part="host-signed-out">${this.localize.term('notSignedIn')}</p>`
      return html`<div class="signed-in" part="signed-in">
        <span class="status" tabindex="-1">${this.localize.term('signedInAs')} <strong part="user">${session.user.name}</strong></span>
      </div>`
    }
    if (session?.status === 'signedIn') {
      return html`<div class="signed-in" part="signed-in">
        <span class="status" tabindex="-1">${this.localize.term('signedInAs')} <strong part="user">${session.user.name}</strong></span>
        <button type="button" part="logout" @click=${this.logout}>${this.localize.term('signOut')}</button>
      </div>`
    }
    const register = this.mode === LoginMode.register
    const t = this.localize
    const title = register ? t.term('createAccount') : t.term('signIn')
    const restoring = session?.status === 'signingIn' && !this.busy
    return html`<form
      part="form"
      aria-labelledby="title"
      novalidate
      @submit=${this.submit}
      aria-busy=${this.busy || restoring ? 'true' : 'false'}
    >
      <span id="title" class="visually-hidden">${title}</span>
      ${register ? this.field('name', t.term('displayName'), 'text', 'name') : nothing}
      ${this.field('username', t.term('username'), 'text', 'username')}
      ${this.field('password', t.term('password'), 'password', register ? 'new-password' : 'current-password')}
      ${this.errors.form ? html`<p class="form-error" part="form-error" role="alert">${this.errors.form}</p>` : nothing}
      <div class="actions">
        <button class="primary" part="submit" type="submit" ?disabled=${this.busy || restoring}>
          ${this.busy ? (register ? t.term('creatingAccount') : t.term('signingIn')) : title}
        </button>
        <button class="link" part="switch" type="button" @click=${this.toggleMode}>
          ${register ? t.term('haveAccount') : t.term('createAccount')}
        </button>
      </div>
    </form>`
  }

  private field(name: string, label: string, type: string, autocomplete: string) {
    const error = this.errors.fields[name]
    return html`<div class="field" part="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        part="input"
        type=${type}
        autocomplete=${autocomplete}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : nothing}
      />
      ${error ? html`<p class="field-error" part="field-error" id=${`${name}-error`}>${error}</p>` : nothing}
    </div>`
  }

  private toggleMode(): void {
    this.mode = this.mode === LoginMode.register ? LoginMode.login : LoginMode.register
    this.errors = NO_ERRORS
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault()
    const kit = this.kit.value
    if (!kit || this.busy) return
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const value = (name: string) => String(data.get(name) ?? '')
    const register = this.mode === LoginMode.register
    this.busy = true
    this.errors = NO_ERRORS
    try {
      const user = register
        ? await kit.register(value('username'), value('password'), value('name'))
        : await kit.login(value('username'), value('password'))
      form.reset()
      emit(this, register ? 'rt-register' : 'rt-login', { user })
      await this.updateComplete
      this.renderRoot.querySelector<HTMLElement>('.status')?.focus()
    } catch (error) {
      this.errors = formErrorsOf(error, register ? ['username', 'password', 'name'] : ['username', 'password'], {
        somethingWentWrong: this.localize.term('somethingWentWrong'),
        serverUnreachable: (detail) => this.localize.term('serverUnreachable', detail),
      })
      await this.updateComplete
      const first = Object.keys(this.errors.fields)[0]
      this.renderRoot.querySelector<HTMLInputElement>(first ? `#${first}` : '#username')?.focus()
    } finally {
      this.busy = false
    }
  }

  private async logout(): Promise<void> {
    const kit = this.kit.value
    if (!kit) return
    await kit.logout()
    emit(this, 'rt-logout', {})
    await this.updateComplete
    this.renderRoot.querySelector<HTMLElement>('#username')?.focus()
  }
}
