import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import './login.ts'
import type { RtLogin } from './login.ts'
import { DEMO_PASSWORD, WAIT, disposeKits, newKit, ranHostileContent, shadow, shadowFind, uniqueName } from '../testing/test-server.ts'

async function mount(kit: Kit, mode = 'login'): Promise<RtLogin> {
  const provider = await fixture(html`<rt-provider .kit=${kit}><rt-login mode=${mode}></rt-login></rt-provider>`)
  return provider.querySelector('rt-login')!
}

function fill(el: RtLogin, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const input = shadow<HTMLInputElement>(el, `input[name="${name}"]`)
    if (!input) throw new Error(`no ${name} field`)
    input.value = value
  }
}

function submit(el: RtLogin): void {
  shadow<HTMLButtonElement>(el, '[part="submit"]')!.click()
}

describe('<rt-login>', () => {
  afterEach(disposeKits)

  describe('when signed out', () => {
    it('renders a sign-in form and is accessible', async () => {
      const el = await mount(await newKit())
      await shadowFind(el, 'form', 'form')
      expect(shadow(el, 'input[name="username"]')).to.exist
      expect(shadow(el, 'input[name="password"]')!.getAttribute('type')).to.equal('password')
      await expect(el).to.be.accessible()
    })

    it('signs in and dispatches rt-login', async () => {
      const el = await mount(await newKit())
      await shadowFind(el, 'form', 'form')
      fill(el, { username: 'alice', password: DEMO_PASSWORD })
      const signedIn = oneEvent(el, 'rt-login')
      submit(el)
      const event = await signedIn
      expect(event.bubbles && event.composed).to.equal(true)
      expect(event.detail.user.username).to.equal('alice')
      await shadowFind(el, '[part="user"]', 'signed-in bar')
      await expect(el).to.be.accessible()
    })

    it('moves focus into the signed-in view after signing in, and back to the form after signing out', async () => {
      const el = await mount(await newKit())
      await shadowFind(el, 'form')
      fill(el, { username: 'alice', password: DEMO_PASSWORD })
      shadow<HTMLInputElement>(el, '#password')!.focus()
      const signedIn = oneEvent(el, 'rt-login')
      submit(el)
      await signedIn
      await waitUntil(() => el.shadowRoot!.activeElement?.textContent?.includes('Signed in as'), 'focus on the signed-in status', WAIT)
      shadow<HTMLButtonElement>(el, '[part="logout"]')!.click()
      await waitUntil(() => el.shadowRoot!.activeElement?.id === 'username', 'focus on the username field', WAIT)
    })

    it('shows a wrong password (401) as a form error', async () => {
      const el = await mount(await newKit())
      await shadowFind(el, 'form', 'form')
      fill(el, { username: 'alice', password: 'not-the-password' })
      submit(el)
      const error = await shadowFind(el, '[part="form-error"]', 'form error')
      expect(error.getAttribute('role')).to.equal('alert')
      expect(error.textContent!.trim()).not.to.equal('')
    })

    it('shows invalid fields (422) next to the field', async () => {
      const el = await mount(await newKit(), 'register')
      await shadowFind(el, 'form', 'form')
      fill(el, { name: 'Short', username: uniqueName('u'), password: 'short' })
      submit(el)
      const message = await shadowFind(el, '#password-error', 'password error')
      expect(message.textContent).to.match(/8/)
      expect(shadow(el, '#password')!.getAttribute('aria-invalid')).to.equal('true')
      expect(shadow(el, '#password')!.getAttribute('aria-describedby')).to.equal('password-error')
      await expect(el).to.be.accessible()
    })

    it('shows a taken username (409) on the username field', async () => {
      const el = await mount(await newKit(), 'register')
      await shadowFind(el, 'form', 'form')
      fill(el, { name: 'Another Alice', username: 'alice', password: 'long-enough-password' })
      submit(el)
      await shadowFind(el, '#username-error', 'username error')
      expect(shadow(el, '#username')!.getAttribute('aria-invalid')).to.equal('true')
    })

    it('registers a new account and dispatches rt-register', async () => {
      const el = await mount(await newKit(), 'register')
      await shadowFind(el, 'form', 'form')
      const username = uniqueName('new')
      fill(el, { name: 'New Person', username, password: 'long-enough-password' })
      const registered = oneEvent(el, 'rt-register')
      submit(el)
      expect((await registered).detail.user.username).to.equal(username)
    })
  })

  describe('when signed in', () => {
    it('signs out with the button and dispatches rt-logout', async () => {
      const kit = await newKit()
      await kit.login('alice', DEMO_PASSWORD)
      const el = await mount(kit)
      const button = await shadowFind<HTMLButtonElement>(el, '[part="logout"]', 'logout button')
      const signedOut = oneEvent(el, 'rt-logout')
      button.click()
      await signedOut
      await shadowFind(el, 'form', 'form again')
    })

    it('renders a hostile display name as text', async () => {
      const kit = await newKit()
      const name = '<img src=x onerror=alert(1)><script>1</script>'
      await kit.register(uniqueName('mallory'), 'long-enough-password', name)
      const el = await mount(kit)
      const user = await shadowFind(el, '[part="user"]', 'user name')
      expect(user.textContent).to.equal(name)
      expect(ranHostileContent(el)).to.equal(false)
    })
  })
})
