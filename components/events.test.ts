/**
 * The events a host page gets, end to end with two users: alice and bob each
 * have a board and a chat on the same partition, through the real server.
 * Listeners sit on `document` and `window`, typed by the augmented
 * `DocumentEventMap` and `WindowEventMap` (no casts below).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import './index.ts'
import type { MessageChangeDetail, RtChat, RtTaskBoard, TaskChangeDetail } from './index.ts'
import { card } from './testing/board-fixtures.ts'
import { WAIT, disposeKits, shadow, shadowAll, shadowFind, signedInKit, uniqueName, whenLive } from './testing/test-server.ts'

describe('events with two users', () => {
  afterEach(disposeKits)

  it('tell each host what it did, what the server confirmed, and what the other user changed', async () => {
    const board = uniqueName('board')
    const [alice, bob] = [await signedInKit('alice'), await signedInKit('bob')]
    const page = await fixture(
      html`<div>
        <rt-provider id="alice" .kit=${alice}><rt-task-board board=${board}></rt-task-board><rt-chat room=${board}></rt-chat></rt-provider>
        <rt-provider id="bob" .kit=${bob}><rt-task-board board=${board}></rt-task-board><rt-chat room=${board}></rt-chat></rt-provider>
      </div>`,
    )
    const [aliceBoard, bobBoard] = [...page.querySelectorAll<RtTaskBoard>('rt-task-board')]
    const [aliceChat, bobChat] = [...page.querySelectorAll<RtChat>('rt-chat')]
    await Promise.all([whenLive(alice, { collection: 'tasks', board }), whenLive(bob, { collection: 'tasks', board })])
    await Promise.all([whenLive(alice, { collection: 'messages', room: board }), whenLive(bob, { collection: 'messages', room: board })])

    // Everything a host would listen to, recorded by who it is about.
    const tasks: { alice: TaskChangeDetail[]; bob: TaskChangeDetail[] } = { alice: [], bob: [] }
    const messages: { alice: MessageChangeDetail[]; bob: MessageChangeDetail[] } = { alice: [], bob: [] }
    const confirmed: string[] = []
    const who = (event: Event) => ((event.target as Element).closest('rt-provider')!.id === 'alice' ? 'alice' : 'bob')
    const onTask = (event: CustomEvent<TaskChangeDetail>) => tasks[who(event)].push(event.detail)
    const onMessage = (event: CustomEvent<MessageChangeDetail>) => messages[who(event)].push(event.detail)
    const onConfirm = (event: WindowEventMap['rt-command-confirm']) => confirmed.push(`${who(event)} ${event.detail.commandId}`)
    document.addEventListener('rt-task-change', onTask)
    document.addEventListener('rt-message-change', onMessage)
    window.addEventListener('rt-command-confirm', onConfirm)
    try {
      // Alice adds a task with her board's form.
      // The form comes with the board's lazily loaded parts: wait for it, as a user would.
      const input = await shadowFind<HTMLInputElement>(aliceBoard!, '#add-todo')
      input.value = 'Shared task'
      const added = oneEvent(aliceBoard!, 'rt-task-add')
      input.form!.requestSubmit()
      const { id, commandId, board: addedTo } = (await added).detail
      expect(addedTo).to.equal(board)
      await waitUntil(() => tasks.bob.length === 1 && tasks.alice.length === 1, 'both hear of the new task', WAIT)
      expect(tasks.alice[0]).to.include({ board, origin: 'local', op: 'upsert', id, version: 1, commandId })
      expect(tasks.bob[0]).to.include({ board, origin: 'remote', op: 'upsert', id, version: 1 })
      expect(tasks.bob[0]!.previous).to.equal(undefined)
      expect(tasks.bob[0]!.doc?.title).to.equal('Shared task')
      expect(confirmed).to.deep.equal([`alice ${commandId}`])

      // Bob renames it, then moves it with "Move to…", then removes it, each from his board.
      await waitUntil(() => card(bobBoard!, 'Shared task'), 'the task at bob', WAIT)
      card(bobBoard!, 'Shared task')!.querySelector<HTMLButtonElement>('[part="card-title"]')!.click()
      const rename = await shadowFind<HTMLInputElement>(bobBoard!, '[part="rename-input"]')
      rename.value = 'Renamed by Bob'
      rename.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }))
      await waitUntil(() => tasks.alice.length === 2, 'alice hears of the rename', WAIT)
      expect(tasks.alice[1]).to.include({ origin: 'remote', op: 'upsert', id, version: 2, previousVersion: 1 })
      expect([tasks.alice[1]!.previous?.title, tasks.alice[1]!.doc?.title]).to.deep.equal(['Shared task', 'Renamed by Bob'])

      await waitUntil(() => card(bobBoard!, 'Renamed by Bob')?.getAttribute('part') === 'card', 'bob’s rename confirmed', WAIT)
      card(bobBoard!, 'Renamed by Bob')!.querySelector<HTMLButtonElement>('[part~="card-move"]')!.click()
      await shadowFind(bobBoard!, '#move-menu:popover-open')
      shadowAll<HTMLButtonElement>(bobBoard!, '[part="move-option"]')
        .find((option) => option.textContent!.trim() === 'Done')!
        .click()
      await waitUntil(() => tasks.alice.length === 3, 'alice hears of the move', WAIT)
      expect(tasks.alice[2]).to.include({ origin: 'remote', op: 'upsert', version: 3 })
      expect([tasks.alice[2]!.previous?.status, tasks.alice[2]!.doc?.status]).to.deep.equal(['todo', 'done'])

      await waitUntil(() => card(bobBoard!, 'Renamed by Bob')?.getAttribute('part') === 'card', 'bob’s move confirmed', WAIT)
      card(bobBoard!, 'Renamed by Bob')!.querySelector<HTMLButtonElement>('[part~="card-remove"]')!.click()
      await waitUntil(() => tasks.alice.length === 4, 'alice hears of the removal', WAIT)
      expect(tasks.alice[3]).to.include({ origin: 'remote', op: 'remove', id, previousVersion: 3 })
      expect(tasks.alice[3]!.doc).to.equal(undefined)
      expect(tasks.alice[3]!.previous?.title).to.equal('Renamed by Bob')
      await waitUntil(() => tasks.bob.length === 4, 'bob hears of his own three changes', WAIT)
      expect(tasks.bob.slice(1).map((change) => `${change.origin} ${change.op}`)).to.deep.equal([
        'local upsert',
        'local upsert',
        'local remove',
      ])

      // Bob says so in the chat.
      const composer = shadow<HTMLTextAreaElement>(bobChat!, '#composer-input')!
      composer.value = 'I removed it'
      composer.form!.requestSubmit()
      await waitUntil(() => messages.alice.length === 1 && messages.bob.length === 1, 'both hear of the message', WAIT)
      expect(messages.alice[0]).to.include({ room: board, origin: 'remote', op: 'upsert' })
      expect(messages.alice[0]!.doc?.text).to.equal('I removed it')
      expect(messages.bob[0]).to.include({ room: board, origin: 'local' })
      await waitUntil(() => shadowAll(aliceChat!, '[part="text"]').some((text) => text.textContent === 'I removed it'), 'shown', WAIT)
    } finally {
      document.removeEventListener('rt-task-change', onTask)
      document.removeEventListener('rt-message-change', onMessage)
      window.removeEventListener('rt-command-confirm', onConfirm)
    }
  })
})
