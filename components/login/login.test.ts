import { expect, fixture, html } from '@open-wc/testing'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import './login.ts'
import type { RtLogin } from './login.ts'
import { DEMO_PASSWORD, disposeKits, nextEvent, newKit, ranHostileContent, shadow, uniqueName, until } from '../testing/test-server.ts'

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
      await until(() => shadow(el, 'form'), 'form')
      expect(shadow(el, 'input[name="username"]')).to.exist
      expect(shadow(el, 'input[name="password"]')!.getAttribute('type')).to.equal('password')
      await expect(el).to.be.accessible()
    })

    it('signs in and dispatches rt-login', async () => {
      const el = await mount(await newKit())
      await until(() => shadow(el, 'form'), 'form')
      fill(el, { username: 'alice', password: DEMO_PASSWORD })
      const signedIn = nextEvent<CustomEvent>(el, 'rt-login')
      submit(el)
      const event = await signedIn
      expect(event.bubbles && event.composed).to.equal(true)
      expect(event.detail.user.username).to.equal('alice')
      await until(() => shadow(el, '[part="user"]'), 'signed-in bar')
      await expect(el).to.be.accessible()
    })

    it('shows a wrong password (401) as a form error', async () => {
      const el = await mount(await newKit())
      await until(() => shadow(el, 'form'), 'form')
      fill(el, { username: 'alice', password: 'not-the-password' })
      submit(el)
      const error = await until(() => shadow(el, '[part="form-error"]'), 'form error')
      expect(error.getAttribute('role')).to.equal('alert')
      expect(error.textContent!.trim()).not.to.equal('')
    })

    it('shows invalid fields (422) next to the field', async () => {
      const el = await mount(await newKit(), 'register')
      await until(() => shadow(el, 'form'), 'form')
      fill(el, { name: 'Short', username: uniqueName('u'), password: 'short' })
      submit(el)
      const message = await until(() => shadow(el, '#password-error'), 'password error')
      expect(message.textContent).to.match(/8/)
      expect(shadow(el, '#password')!.getAttribute('aria-invalid')).to.equal('true')
      expect(shadow(el, '#password')!.getAttribute('aria-describedby')).to.equal('password-error')
      await expect(el).to.be.accessible()
    })

    it('shows a taken username (409) on the username field', async () => {
      const el = await mount(await newKit(), 'register')
      await until(() => shadow(el, 'form'), 'form')
      fill(el, { name: 'Another Alice', username: 'alice', password: 'long-enough-password' })
      submit(el)
      await until(() => shadow(el, '#username-error'), 'username error')
      expect(shadow(el, '#username')!.getAttribute('aria-invalid')).to.equal('true')
    })

    it('registers a new account and dispatches rt-register', async () => {
      const el = await mount(await newKit(), 'register')
      await until(() => shadow(el, 'form'), 'form')
      const username = uniqueName('new')
      fill(el, { name: 'New Person', username, password: 'long-enough-password' })
      const registered = nextEvent<CustomEvent>(el, 'rt-register')
      submit(el)
      expect((await registered).detail.user.username).to.equal(username)
    })
  })

  describe('when signed in', () => {
    it('signs out with the button and dispatches rt-logout', async () => {
      const kit = await newKit()
      await kit.login('alice', DEMO_PASSWORD)
      const el = await mount(kit)
      const button = await until(() => shadow<HTMLButtonElement>(el, '[part="logout"]'), 'logout button')
      const signedOut = nextEvent<CustomEvent>(el, 'rt-logout')
      button.click()
      await signedOut
      await until(() => shadow(el, 'form'), 'form again')
    })

    it('renders a hostile display name as text', async () => {
      const kit = await newKit()
      const name = '<img src=x onerror=alert(1)><script>1</script>'
      await kit.register(uniqueName('mallory'), 'long-enough-password', name)
      const el = await mount(kit)
      const user = await until(() => shadow(el, '[part="user"]'), 'user name')
      expect(user.textContent).to.equal(name)
      expect(ranHostileContent(el)).to.equal(false)
    })
  })
})
