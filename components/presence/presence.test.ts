import { expect, fixture, html } from '@open-wc/testing'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import './presence.ts'
import { initialsOf, type RtPresence } from './presence.component.ts'
import { disposeKits, nextEvent, newKit, ranHostileContent, shadowAll, signedInKit, uniqueName, until } from '../testing/test-server.ts'

async function mount(kit: Kit, max = 0): Promise<RtPresence> {
  const provider = await fixture(html`<rt-provider .kit=${kit}><rt-presence max=${max}></rt-presence></rt-provider>`)
  return provider.querySelector('rt-presence')!
}

const matches = (el: RtPresence, user: { id: string; name: string }) =>
  el.users.some((entry) => entry.id === user.id || entry.name === user.name || entry.username === user.id)

describe('<rt-presence>', () => {
  afterEach(disposeKits)

  it('makes initials from the name', () => {
    expect(initialsOf({ id: '1', username: 'alice', name: 'Alice Liddell' })).to.equal('AL')
    expect(initialsOf({ id: '2', username: 'bob', name: 'bob' })).to.equal('BO')
    expect(initialsOf({ id: '3', username: 'carol', name: '' })).to.equal('CA')
  })

  describe('when signed in', () => {
    it('shows who is online and updates live when someone else connects', async () => {
      const alice = await signedInKit('alice')
      const el = await mount(alice)
      await until(() => el.users.length >= 1, 'alice online')
      const bob = await signedInKit('bob')
      const bobUser = await new Promise<{ id: string; name: string }>((resolve) =>
        bob.session$.subscribe((session) => session.user && resolve(session.user)),
      )
      await until(() => matches(el, bobUser), 'bob shows up')
      await el.updateComplete
      expect(shadowAll(el, '[part="avatar"]').length).to.equal(el.users.length)
      await bob.logout()
      await until(() => !matches(el, bobUser), 'bob goes away')
    })

    it('dispatches rt-presence-change', async () => {
      const alice = await signedInKit('alice')
      const changed = nextEvent<CustomEvent>(document, 'rt-presence-change')
      await mount(alice)
      const event = await changed
      expect(event.composed).to.equal(true)
      expect(event.detail.users).to.be.an('array')
    })

    it('collapses users beyond max into "+N"', async () => {
      const alice = await signedInKit('alice')
      await signedInKit('bob')
      const el = await mount(alice, 1)
      await until(() => el.users.length >= 2, 'two online')
      await el.updateComplete
      expect(shadowAll(el, '[part="avatar"]')).to.have.length(1)
      expect(shadowAll(el, '[part="more"]')[0]!.textContent).to.contain(`+${el.users.length - 1}`)
    })

    it('is accessible', async () => {
      const el = await mount(await signedInKit('alice'))
      await until(() => el.users.length >= 1, 'someone online')
      await expect(el).to.be.accessible()
    })

    it('renders a hostile display name as text', async () => {
      const hostileName = '<img src=x onerror=alert(1)><script>1</script>'
      const kit = await newKit()
      await kit.register(uniqueName('mallory'), 'rtkit-demo-password', hostileName)
      const el = await mount(kit)
      await until(() => el.users.length >= 1, 'mallory online')
      await el.updateComplete
      expect(ranHostileContent(el)).to.equal(false)
    })
  })
})
