/**
 * A tag of your own, built only on `rtkit/element` (and `configure`), as a
 * widget author would: importing it registers none of rtkit's tags, and the
 * tag gets what the built-ins get (the facade, its own partition's errors,
 * confirm/reject events under its own prefix), against the real server.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { property } from 'lit/decorators.js'
import { isKit, type Kit, type LiveDoc } from '../services/index.ts'
import { configure } from './configure.ts'
import { KitElement, ObservableController, errorList, errorsFor, reportOutcome, type CommandEventMap } from './element.ts'
import { WAIT, disposeKits, shadow, signedInKit, uniqueName } from './testing/test-server.ts'

declare global {
  interface GlobalEventHandlersEventMap extends CommandEventMap<'notes'> {}
}

/** Notes kept as messages of a room, with events of its own prefix. */
class TestNotes extends KitElement {
  @property() room = ''
  @property() collection = 'messages'

  readonly notes = new ObservableController(this, {
    args: () => [this.kit.value, this.collection, this.room, this.user?.id],
    source: (kit, collection, room, userId) =>
      kit && room && userId ? kit.collection<{ text: string }>(collection).where({ room }).watch() : undefined,
    initial: [] as readonly LiveDoc<{ text: string }>[],
  })

  /** The kit's errors as the tag sees them (all of them, not only its own). */
  get seenErrors() {
    return this.kitErrors.value
  }

  post(text: string): void {
    const receipt = this.kit.value!.collection('messages').insert({ room: this.room, text })
    reportOutcome(this, receipt, { room: this.room }, { prefix: 'notes' })
  }

  protected renderWith(kit: Kit) {
    const errors = errorsFor(this.kitErrors.value, this.collection, 'room', this.room, this.notes.value)
    return html`<ul>
        ${this.notes.value.map((note) => html`<li>${note.text}</li>`)}
      </ul>
      ${errorList(this.localize, errors, (error) => kit.dismissError(error.id))}`
  }
}
customElements.define('test-notes', TestNotes)

describe('a tag of your own on rtkit/element', () => {
  afterEach(async () => {
    while (configure(null)) {
      // let go of every hold a test took
    }
    await disposeKits()
  })

  it('registers none of rtkit’s tags', () => {
    for (const tag of ['rt-provider', 'rt-task-board', 'rt-chat', 'rt-login', 'rt-presence', 'rt-connection-status']) {
      expect(customElements.get(tag), tag).to.equal(undefined)
    }
  })

  it('is configured by a kit known by its brand, not by a collection', async () => {
    const kit = await signedInKit('alice')
    expect(isKit(kit)).to.equal(true)
    expect(isKit({ ...kit })).to.equal(false)
    expect('tasks$' in kit, 'the core names no collection').to.equal(false)
    expect(configure(kit)).to.equal(kit)
    const el = await fixture<TestNotes>(html`<test-notes room=${uniqueName('notes')}></test-notes>`)
    await waitUntil(() => shadow(el, 'ul'), 'the notes render', WAIT)
  })

  it('reports its commands under its own prefix, with the collection and partition, and shows only its own errors', async () => {
    const kit = await signedInKit('alice')
    configure(kit)
    const [mine, other] = [uniqueName('notes'), uniqueName('notes')]
    const page = await fixture(html`<div><test-notes room=${mine}></test-notes><test-notes room=${other}></test-notes></div>`)
    const [el, neighbour] = [...page.querySelectorAll<TestNotes>('test-notes')]
    const builtIn: Event[] = []
    const record = (event: Event) => builtIn.push(event)
    document.addEventListener('rt-command-confirm', record)
    document.addEventListener('rt-command-reject', record)
    try {
      const confirmed = oneEvent(el!, 'notes-command-confirm')
      el!.post('hello')
      const { detail } = await confirmed
      expect(detail).to.include({ collection: 'messages', type: 'insert', room: mine, version: 1 })
      expect(detail.partition).to.deep.equal({ room: mine })
      await waitUntil(() => shadow(el!, 'li')?.textContent === 'hello', 'the note shows', WAIT)

      const rejected = oneEvent(el!, 'notes-command-reject')
      el!.post('x'.repeat(5000))
      const refusal = (await rejected).detail
      expect(refusal).to.include({ collection: 'messages', room: mine })
      expect(refusal.error.status).to.equal(422)
      await waitUntil(() => shadow(el!, '[part="error"]'), 'the refusal shows in its tag', WAIT)
      expect(shadow(neighbour!, '[part="error"]'), 'and not in the other partition’s').to.equal(null)
      expect(builtIn).to.deep.equal([])
    } finally {
      document.removeEventListener('rt-command-confirm', record)
      document.removeEventListener('rt-command-reject', record)
    }
  })

  it('shows why a partition it cannot read is empty: the failed read is among its own errors', async () => {
    const kit = await signedInKit('alice')
    configure(kit)
    const room = uniqueName('notes')
    const page = await fixture(
      html`<div><test-notes collection="nosuch" room=${room}></test-notes><test-notes room=${room}></test-notes></div>`,
    )
    const [el, neighbour] = [...page.querySelectorAll<TestNotes>('test-notes')]
    await waitUntil(() => shadow(el!, '[part="error"]'), 'the failed read shows in its tag', WAIT)
    expect(shadow(el!, '[part="error"]')!.getAttribute('data-code')).to.equal('not_found')
    expect(shadow(el!, '.error-message')!.textContent).to.contain('unknown collection "nosuch"')
    const [failed] = el!.seenErrors
    expect(failed!.query).to.deep.equal({ collection: 'nosuch', key: 'room', value: room })
    expect(shadow(neighbour!, '[part="error"]'), 'and not in the tag reading messages of the same room').to.equal(null)
  })
})
