import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import './connection-status.ts'
import type { RtConnectionStatus } from './connection-status.ts'
import { disposeKits, newKit, shadow, shadowFind, signedInKit, WAIT } from '../testing/test-server.ts'

async function mount(kit: Kit): Promise<RtConnectionStatus> {
  const provider = await fixture(html`<rt-provider .kit=${kit}><rt-connection-status></rt-connection-status></rt-provider>`)
  return provider.querySelector('rt-connection-status')!
}

describe('<rt-connection-status>', () => {
  afterEach(disposeKits)

  describe('when signed in', () => {
    it('shows the connection as online once deepstream is connected', async () => {
      const el = await mount(await signedInKit('alice'))
      await waitUntil(() => el.status === 'open', 'connection open', WAIT)
      await el.updateComplete
      expect(shadow(el, '[part="label"]')!.textContent).to.equal('Online')
      expect(shadow(el, '[part="indicator"]')!.dataset.status).to.equal('open')
    })

    it('dispatches rt-connection-change, bubbling and composed', async () => {
      const kit = await newKit()
      const el = await mount(kit)
      const changed = oneEvent(document, 'rt-connection-change')
      await kit.login('alice', 'rtkit-demo')
      const event = await changed
      expect(event.bubbles).to.equal(true)
      expect(event.composed).to.equal(true)
      expect(event.detail).to.have.keys(['status', 'queued'])
      await waitUntil(() => el.status === 'open', 'connection open', WAIT)
    })

    it('says offline while the browser reports no network, and online again when it is back', async () => {
      const el = await mount(await signedInKit('alice'))
      await waitUntil(() => el.status === 'open', 'connection open', WAIT)
      // The events the browser fires when its network goes and comes back. (Chromium's own offline
      // emulation, tried here, also cut the test runner's own connection to the page.)
      window.dispatchEvent(new Event('offline'))
      await waitUntil(() => el.status === 'offline', 'offline while the browser reports no network', WAIT)
      await el.updateComplete
      expect(shadow(el, '[part="label"]')!.textContent).to.equal('Offline')
      window.dispatchEvent(new Event('online'))
      await waitUntil(() => el.status === 'open', 'open again once the network is back', WAIT)
      await el.updateComplete
      expect(shadow(el, '[part="label"]')!.textContent).to.equal('Online')
    })

    it('is accessible', async () => {
      const el = await mount(await signedInKit('alice'))
      await waitUntil(() => el.status === 'open', 'connection open', WAIT)
      await expect(el).to.be.accessible()
    })
  })

  describe('theming', () => {
    it('switches to dark colours with --rt-color-scheme and keeps custom properties on top', async () => {
      const el = await mount(await newKit())
      await shadowFind(el, '[part="base"]', 'rendered')
      const base = shadow(el, '[part="base"]')!
      el.style.setProperty('--rt-color-scheme', 'light')
      const light = getComputedStyle(base).backgroundColor
      el.style.setProperty('--rt-color-scheme', 'dark')
      const dark = getComputedStyle(base).backgroundColor
      expect(dark).not.to.equal(light)
      await expect(el).to.be.accessible()
      el.style.setProperty('--rt-color-surface', 'rgb(1, 2, 3)')
      expect(getComputedStyle(base).backgroundColor).to.equal('rgb(1, 2, 3)')
    })
  })

  describe('when signed out', () => {
    it('says it is not connected', async () => {
      const el = await mount(await newKit())
      await waitUntil(() => el.status === 'closed', 'status closed', WAIT)
      await el.updateComplete
      expect(shadow(el, '[part="label"]')!.textContent).to.equal('Not connected')
    })
  })
})
