import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import type { MessageFields } from '../../contracts/index.ts'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import './chat.ts'
import type { RtChat } from './chat.ts'
import {
  ApiClient,
  disposeKits,
  HOSTILE,
  newKit,
  ranHostileContent,
  shadow,
  shadowAll,
  shadowFind,
  signedInKit,
  uniqueName,
  WAIT,
  whenLive,
} from '../testing/test-server.ts'

async function mount(kit: Kit, room: string): Promise<RtChat> {
  const provider = await fixture(html`<rt-provider .kit=${kit}><rt-chat room=${room}></rt-chat></rt-provider>`)
  return provider.querySelector('rt-chat')!
}

const messageWith = (el: RtChat, text: string) =>
  shadowAll(el, '[part~="message"]').find((message) => message.querySelector('[part="text"]')?.textContent === text)

function send(el: RtChat, text: string): void {
  shadow<HTMLTextAreaElement>(el, '#composer-input')!.value = text
  shadow<HTMLButtonElement>(el, '[part="send"]')!.click()
}

describe('<rt-chat>', () => {
  afterEach(disposeKits)

  describe('when signed out', () => {
    it('asks to sign in', async () => {
      const el = await mount(await newKit(), 'lobby')
      await shadowFind(el, '[data-state="signed-out"]', 'signed-out notice')
    })
  })

  describe('when signed in', () => {
    it('shows a message another user posts, live', async () => {
      const room = uniqueName('room')
      const kit = await signedInKit('alice')
      const el = await mount(kit, room)
      await whenLive(kit, { collection: 'messages', room })
      await shadowFind(el, '.empty', 'empty room')
      const bob = await ApiClient.login('bob')
      const changed = oneEvent(el, 'rt-message-change')
      const stored = await bob.insert<Partial<MessageFields>>('messages', { room, text: 'hello from bob' })
      await waitUntil(() => messageWith(el, 'hello from bob'), 'bob’s message', WAIT)
      const message = messageWith(el, 'hello from bob')!
      expect(message.querySelector('[part="author"]')!.textContent).to.equal(bob.session.user.name)
      expect(message.querySelector('[part="message-actions"]')).to.equal(null)
      const change = (await changed).detail
      expect(change).to.include({ room, origin: 'remote', op: 'upsert', id: stored.id, version: 1 })
      expect(change.doc?.text).to.equal('hello from bob')
    })

    it('sends with the composer, marks the message pending until confirmed, and dispatches rt-message-send', async () => {
      const room = uniqueName('room')
      const el = await mount(await signedInKit('alice'), room)
      await shadowFind(el, '#composer-input', 'composer')
      const sent = oneEvent(el, 'rt-message-send')
      const confirmed = oneEvent(el, 'rt-command-confirm')
      send(el, 'hi all')
      const event = await sent
      expect(event.bubbles && event.composed).to.equal(true)
      expect(event.detail).to.include({ room, text: 'hi all' })
      expect((await confirmed).detail).to.include({
        room,
        commandId: event.detail.commandId,
        type: 'insert',
        id: event.detail.id,
        version: 1,
      })
      await waitUntil(() => messageWith(el, 'hi all'), 'own message', WAIT)
      const message = messageWith(el, 'hi all')!
      expect(message.getAttribute('part')).to.contain('message-own')
      await waitUntil(() => !messageWith(el, 'hi all')!.getAttribute('part')!.includes('message-pending'), 'confirmed', WAIT)
      const bob = await ApiClient.login('bob')
      const { items } = await bob.list<MessageFields>('messages', { room })
      expect(items.map((item) => item.text)).to.deep.equal(['hi all'])
    })

    it('edits and deletes own messages', async () => {
      const room = uniqueName('room')
      const el = await mount(await signedInKit('alice'), room)
      await shadowFind(el, '#composer-input', 'composer')
      const confirmed: string[] = []
      el.addEventListener('rt-command-confirm', (event) => confirmed.push(event.detail.type))
      send(el, 'first draft')
      await waitUntil(() => messageWith(el, 'first draft'), 'own message', WAIT)
      const message = messageWith(el, 'first draft')!
      ;[...message.querySelectorAll('button')].find((button) => button.textContent!.trim() === 'Edit')!.click()
      const input = await shadowFind<HTMLTextAreaElement>(el, '[part="edit-input"]', 'edit input')
      expect(el.shadowRoot!.activeElement).to.equal(input)
      input.value = 'final text'
      const edited = oneEvent(el, 'rt-message-edit')
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }))
      expect((await edited).detail).to.include({ room, text: 'final text' })
      await waitUntil(() => messageWith(el, 'final text'), 'edited text', WAIT)
      const updated = messageWith(el, 'final text')!
      const removed = oneEvent(el, 'rt-message-remove')
      ;[...updated.querySelectorAll('button')].find((button) => button.textContent!.trim() === 'Delete')!.click()
      expect((await removed).detail).to.include({ room, id: updated.dataset.id })
      await waitUntil(() => !messageWith(el, 'final text'), 'message gone', WAIT)
      // Public operation names, never the facade's internal "[Messages] …" action types.
      await waitUntil(() => confirmed.length === 3, 'three confirmations', WAIT)
      expect(confirmed).to.deep.equal(['insert', 'update', 'remove'])
    })

    it('stays scrolled to the newest message', async () => {
      const room = uniqueName('room')
      const bob = await ApiClient.login('bob')
      await Promise.all(Array.from({ length: 30 }, (_, i) => bob.insert<Partial<MessageFields>>('messages', { room, text: `m${i}` })))
      const kit = await signedInKit('alice')
      const el = await mount(kit, room)
      await whenLive(kit, { collection: 'messages', room })
      await waitUntil(() => shadowAll(el, '[part~="message"]').length === 30, '30 messages', WAIT)
      const log = shadow(el, '[part="log"]')!
      await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'scrolled to bottom at start', WAIT)
      await bob.insert<Partial<MessageFields>>('messages', { room, text: 'newest' })
      await waitUntil(() => messageWith(el, 'newest'), 'newest arrives', WAIT)
      await waitUntil(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'still at the bottom', WAIT)
    })

    it('renders hostile message text inertly', async () => {
      const room = uniqueName('room')
      const kit = await signedInKit('alice')
      const el = await mount(kit, room)
      await whenLive(kit, { collection: 'messages', room })
      const bob = await ApiClient.login('bob')
      await bob.insert<Partial<MessageFields>>('messages', { room, text: HOSTILE })
      await waitUntil(() => messageWith(el, HOSTILE), 'hostile message shown as text', WAIT)
      expect(ranHostileContent(el)).to.equal(false)
    })

    it('shows a rejected message and lets the user dismiss it', async () => {
      const room = uniqueName('room')
      const kit = await signedInKit('alice')
      const el = await mount(kit, room)
      await shadowFind(el, '#composer-input', 'composer')
      const composer = shadow<HTMLTextAreaElement>(el, '#composer-input')!
      composer.value = 'x'.repeat(2001) // past the field's maxlength, as a script could set it
      const rejected = oneEvent(el, 'rt-command-reject')
      composer.form!.requestSubmit()
      expect((await rejected).detail).to.include({ room, type: 'insert', collection: 'messages' })
      const error = await shadowFind(el, '[part="error"]', 'error shown')
      ;(error.querySelector('[part="error-dismiss"]') as HTMLButtonElement).click()
      await waitUntil(() => !shadow(el, '[part="error"]'), 'error dismissed', WAIT)
    })

    it('recovers from a conflicting edit by applying it again', async () => {
      const room = uniqueName('room')
      const kit = await signedInKit('alice')
      const el = await mount(kit, room)
      await shadowFind(el, '#composer-input', 'composer')
      const sent = oneEvent(el, 'rt-command-confirm')
      send(el, 'Contested')
      const { id, version } = (await sent).detail
      kit.update('messages', id, { text: 'Mine' }, { expectedVersion: version + 5 })
      const error = await shadowFind(el, '[part="error"][data-code="conflict"]', 'conflict shown')
      const confirmed = oneEvent(el, 'rt-command-confirm')
      ;(error.querySelector('[part="error-action"]') as HTMLButtonElement).click()
      expect((await confirmed).detail).to.include({ id, type: 'update', room })
      await waitUntil(() => messageWith(el, 'Mine') && !shadow(el, '[part="error"]'), 'applied again', WAIT)
    })

    it('is accessible', async () => {
      const room = uniqueName('room')
      const el = await mount(await signedInKit('alice'), room)
      await shadowFind(el, '#composer-input', 'composer')
      send(el, 'accessible?')
      await waitUntil(() => messageWith(el, 'accessible?'), 'message', WAIT)
      await expect(el).to.be.accessible()
    })
  })
})
