import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing'
import type { Kit } from '../../services/index.ts'
import { configure } from '../configure.ts'
import '../index.ts'
import { RtProvider } from './provider.ts'
import { disposeKits, newKit, shadow, shadowFind, testEnv, WAIT } from '../testing/test-server.ts'

const TAGS = ['rt-login', 'rt-task-board', 'rt-chat', 'rt-presence', 'rt-connection-status'] as const

describe('<rt-provider> and configure()', () => {
  afterEach(async () => {
    // configure() holds are counted: let go of every one a test took.
    while (configure(null)) {
      /* one more hold */
    }
    fixtureCleanup()
    await disposeKits()
  })

  describe('when nothing is configured', () => {
    for (const tag of TAGS) {
      it(`<${tag}> shows a "not configured" notice instead of throwing`, async () => {
        const el = await fixture(`<${tag} board="launch" room="lobby"></${tag}>`)
        const notice = shadow(el, '[data-state="not-configured"]')
        expect(notice, `${tag} notice`).to.exist
        expect(notice!.textContent).to.contain('configure(')
        await expect(el).to.be.accessible()
      })
    }
  })

  describe('with configure()', () => {
    it('gives every tag the default facade, also tags that were already on the page', async () => {
      const el = await fixture(html`<rt-connection-status></rt-connection-status>`)
      expect(shadow(el, '[data-state="not-configured"]')).to.exist
      const kit = await newKit()
      configure(kit)
      await shadowFind(el, '[part="base"]', 'tag picked up the default')
      configure(null)
      await shadowFind(el, '[data-state="not-configured"]', 'back to not configured')
    })

    it('reuses one facade for the same URLs and keeps it under a global symbol', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const first = configure({ apiUrl, realtimeUrl, storageKey: 'configure-test' })
      const second = configure({ apiUrl: `${apiUrl}/`, realtimeUrl, storageKey: 'configure-test' })
      expect(second).to.equal(first)
      const slot = (globalThis as Record<symbol, { kit?: Kit }>)[Symbol.for('rtkit.defaultKit')]
      expect(slot?.kit).to.equal(first)
    })
  })

  describe('with a provider', () => {
    it("passes its services to the facade it creates: kit.service() builds one from the kit's abstractions", async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const services = { greeter: (ctx: { call: unknown }) => ({ hello: 'world', canCall: typeof ctx.call === 'function' }) }
      const provider = await fixture<RtProvider>(
        html`<rt-provider
          api-url=${apiUrl}
          realtime-url=${realtimeUrl}
          storage-key="provider-services"
          .services=${services}
        ></rt-provider>`,
      )
      expect(provider.value?.service('greeter')).to.deep.equal({ hello: 'world', canCall: true })
    })

    it('creates a facade from its URLs, provides it to the subtree, and disposes it when removed', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const provider = await fixture<RtProvider>(
        html`<rt-provider api-url=${apiUrl} realtime-url=${realtimeUrl} storage-key="provider-test"><rt-login></rt-login></rt-provider>`,
      )
      const kit = provider.value
      expect(kit).to.exist
      const login = provider.querySelector('rt-login')!
      await shadowFind(login, 'form', 'login form through the provider')
      let completed = false
      kit!.session$.subscribe({ complete: () => (completed = true) })
      provider.remove()
      await waitUntil(() => completed, 'facade disposed (streams complete)', WAIT)
      expect(provider.value).to.equal(undefined)
    })

    it('keeps its facade when moved within the page', async () => {
      const { apiUrl, realtimeUrl } = await testEnv()
      const provider = await fixture<RtProvider>(html`<rt-provider api-url=${apiUrl} realtime-url=${realtimeUrl}></rt-provider>`)
      const kit = provider.value
      const other = document.createElement('div')
      document.body.append(other)
      other.append(provider)
      await Promise.resolve()
      expect(provider.value).to.equal(kit)
      other.remove()
    })

    it('reaches tags that were there before the provider was defined (a later bundle)', async () => {
      const kit = await newKit()
      const name = `rt-late-provider-${crypto.randomUUID().slice(0, 8)}`
      const host = await fixture(`<div><${name}><rt-connection-status></rt-connection-status></${name}></div>`)
      const status = host.querySelector('rt-connection-status')!
      await shadowFind(status, '[data-state="not-configured"]')
      Object.assign(host.querySelector(name)!, { kit })
      customElements.define(name, class extends RtProvider {})
      await shadowFind(status, '[part="base"]', 'the facade from the provider defined later')
    })

    it('wins over the configured default for tags inside it', async () => {
      const fromDefault = await newKit()
      const fromProvider = await newKit()
      configure(fromDefault)
      await fromProvider.login('alice', 'rtkit-demo')
      const provider = await fixture(html`<rt-provider .kit=${fromProvider}><rt-login></rt-login></rt-provider>`)
      const login = provider.querySelector('rt-login')!
      await shadowFind(login, '[part="user"]', 'signed-in view from the provider’s facade')
    })
  })
})
