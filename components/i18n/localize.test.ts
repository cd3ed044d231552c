import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import '../login/login.ts'
import '../provider/provider.ts'
import { disposeKits, newKit, shadow, WAIT } from '../testing/test-server.ts'
import { lazyCatalogues } from './localize.ts'

// Its own file: a page where German has never loaded.
describe('a built-in language that fails to load', () => {
  afterEach(disposeKits)

  it('leaves English, and loads on a later render', async () => {
    const load = lazyCatalogues.get('de')!
    let attempts = 0
    lazyCatalogues.set('de', () => (++attempts === 1 ? Promise.reject(new Error('chunk gone')) : load()))
    const kit = await newKit()
    const page = await fixture<HTMLElement>(
      html`<div lang="de">
        <rt-provider .kit=${kit}><rt-login></rt-login></rt-provider>
      </div>`,
    )
    const login = page.querySelector('rt-login')!
    const submit = () => shadow(login, '[part="submit"]')?.textContent?.trim()
    await waitUntil(() => attempts === 1 && submit() === 'Sign in', 'English after the failed load', WAIT)
    await Promise.resolve()
    login.requestUpdate()
    await waitUntil(() => submit() === 'Anmelden', 'German once a later render loaded it', WAIT)
    expect(attempts).to.equal(2)
  })
})
