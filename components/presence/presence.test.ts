import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { setViewport } from '@web/test-runner-commands'
import { BehaviorSubject } from 'rxjs'
import type { UserProfile } from '../../contracts/index.ts'
import type { Kit, SessionView } from '../../services/index.ts'
import '../provider/provider.ts'
import './presence.ts'
import { colourIndexOf } from './avatar.ts'
import type { RtPresence } from './presence.ts'
import { WAIT, disposeKits, newKit, ranHostileContent, shadowAll, signedInKit, uniqueName } from '../testing/test-server.ts'

async function mount(kit: Kit, max = 0): Promise<RtPresence> {
  const provider = await fixture(html`<rt-provider .kit=${kit}><rt-presence max=${max}></rt-presence></rt-provider>`)
  return provider.querySelector('rt-presence')!
}

const matches = (el: RtPresence, user: { id: string; name: string }) => el.users.some((entry) => entry.id === user.id)

/** A facade with only what `<rt-presence>` reads, for layouts with many users online. */
function presenceKit(users: readonly UserProfile[]): Kit {
  const session: SessionView = { status: 'signedIn', user: users[0]!, expiresAt: Date.now() + 60_000 } as SessionView
  return {
    presence$: new BehaviorSubject(users),
    session$: new BehaviorSubject(session),
    errors$: new BehaviorSubject([]),
  } as unknown as Kit
}

describe('<rt-presence>', () => {
  afterEach(disposeKits)

  describe('when signed in', () => {
    it('shows who is online, the signed-in user included, and updates live when someone else connects', async () => {
      const alice = await signedInKit('alice')
      const el = await mount(alice)
      await waitUntil(() => el.users.some((user) => user.username === 'alice'), 'alice online', WAIT)
      const bob = await signedInKit('bob')
      const bobUser = await new Promise<{ id: string; name: string }>((resolve) =>
        bob.session$.subscribe((session) => session.user && resolve(session.user)),
      )
      await waitUntil(() => matches(el, bobUser), 'bob shows up', WAIT)
      await el.updateComplete
      expect(shadowAll(el, '[part~="avatar"]').length).to.equal(el.users.length)
      await bob.logout()
      await waitUntil(() => !matches(el, bobUser), 'bob goes away', WAIT)
    })

    it('dispatches rt-presence-change on the document', async () => {
      const alice = await signedInKit('alice')
      const changed = oneEvent(document, 'rt-presence-change')
      await mount(alice)
      const event = await changed
      expect(event.composed).to.equal(true)
      expect(event.detail.users).to.be.an('array')
    })

    it('collapses users beyond max into "+N"', async () => {
      const alice = await signedInKit('alice')
      await signedInKit('bob')
      const el = await mount(alice, 1)
      await waitUntil(() => el.users.length >= 2, 'two online', WAIT)
      await el.updateComplete
      expect(shadowAll(el, '[part~="avatar"]')).to.have.length(1)
      expect(shadowAll(el, '[part="more"]')[0]!.textContent).to.contain(`+${el.users.length - 1}`)
    })

    it('is accessible', async () => {
      const el = await mount(await signedInKit('alice'))
      await waitUntil(() => el.users.length >= 1, 'someone online', WAIT)
      await expect(el).to.be.accessible()
    })

    it('renders a hostile display name as text', async () => {
      const hostileName = '<img src=x onerror=alert(1)><script>1</script>'
      const kit = await newKit()
      await kit.register(uniqueName('mallory'), 'rtkit-demo-password', hostileName)
      const el = await mount(kit)
      await waitUntil(() => el.users.length >= 1, 'mallory online', WAIT)
      await el.updateComplete
      expect(ranHostileContent(el)).to.equal(false)
    })
  })

  describe('on a 320 px wide screen', () => {
    afterEach(() => setViewport({ width: 800, height: 600 }))

    it('wraps twenty avatars inside the screen, none clipped, each coloured by a class', async () => {
      await setViewport({ width: 320, height: 640 })
      const users = Array.from({ length: 20 }, (_, i) => ({ id: `user-${i}`, username: `user${i}`, name: `Person Number${i}` }))
      const el = await mount(presenceKit(users))
      await el.updateComplete
      const avatars = shadowAll(el, '[part~="avatar"]')
      expect(avatars).to.have.length(20)
      const lines = new Set(avatars.map((avatar) => Math.round(avatar.getBoundingClientRect().top)))
      expect(lines.size, 'avatars wrap onto more than one line').to.be.greaterThan(1)
      for (const avatar of avatars) {
        const box = avatar.getBoundingClientRect()
        expect(box.left, 'inside the screen on the left').to.be.at.least(0)
        expect(box.right, 'inside the screen on the right').to.be.at.most(320)
        expect(Math.round(box.width), 'a circle, not squeezed').to.equal(Math.round(box.height))
        const initials = avatar.querySelector('[aria-hidden="true"]')!.getBoundingClientRect()
        expect(initials.left >= box.left && initials.right <= box.right, 'initials inside the circle').to.equal(true)
        expect(avatar.getAttribute('style'), 'no inline style').to.equal(null)
      }
      const user = users[3]!
      const avatar = avatars[3]!
      expect(avatar.getAttribute('part')).to.equal(`avatar avatar-${colourIndexOf(user.id)}`)
      expect(getComputedStyle(avatar).backgroundColor).not.to.equal('rgba(0, 0, 0, 0)')
    })
  })
})
