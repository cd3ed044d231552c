/**
 * A keyboard-only journey through a page with every tag: sign in, add a
 * task, move it, rename it, remove it, send a message — with Tab, arrows,
 * Enter and Delete only, counting the Tab stops on the way. Before the board
 * had a roving tabindex, each card took two Tab stops; now each column's
 * cards take one.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { TaskFields } from '../contracts/index.ts'
import './index.ts'
import type { RtChat, RtTaskBoard } from './index.ts'
import { card, columnOf, pressWith } from './testing/board-fixtures.ts'
import { ApiClient, DEMO_PASSWORD, WAIT, disposeKits, newKit, shadowAll, uniqueName } from './testing/test-server.ts'

/** The focused element, looking into shadow roots. */
function deepActive(): HTMLElement | null {
  let element = document.activeElement as HTMLElement | null
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement as HTMLElement
  return element
}

/** A short name for a focused element: its tag, and its part, id or text. */
function describe_(element: HTMLElement | null): string {
  if (!element) return 'nothing'
  const host = (element.getRootNode() as ShadowRoot).host?.localName ?? 'page'
  const name = element.getAttribute('part') ?? element.id ?? ''
  return `${host} ${name || element.localName}`
}

/** Presses Tab until `done` holds for the focused element (at most `limit` times); returns each stop. */
async function tabUntil(done: (element: HTMLElement | null) => boolean, limit = 60): Promise<string[]> {
  const stops: string[] = []
  for (let press = 0; press < limit; press += 1) {
    await sendKeys({ press: 'Tab' })
    const element = deepActive()
    stops.push(describe_(element))
    if (done(element)) return stops
  }
  throw new Error(`not reached after ${limit} Tab presses: ${stops.join(', ')}`)
}

describe('a keyboard-only journey', () => {
  afterEach(disposeKits)

  it('signs in, adds, moves, renames and removes a task and sends a message, in few Tab stops', async () => {
    const board = uniqueName('board')
    const bob = await ApiClient.login('bob')
    for (let i = 0; i < 8; i += 1) await bob.insert<Partial<TaskFields>>('tasks', { board, title: `Task ${i}`, status: 'todo', order: i })
    const page = await fixture(
      html`<div>
        <button id="start">start</button>
        <rt-provider .kit=${await newKit()}>
          <rt-login></rt-login><rt-connection-status></rt-connection-status><rt-presence></rt-presence>
          <rt-task-board board=${board}></rt-task-board><rt-chat room=${board}></rt-chat>
        </rt-provider>
        <button id="end">end</button>
      </div>`,
    )
    const boardEl = page.querySelector<RtTaskBoard>('rt-task-board')!
    const chat = page.querySelector<RtChat>('rt-chat')!
    page.querySelector<HTMLButtonElement>('#start')!.focus()

    // Sign in: the form comes first.
    expect(await tabUntil((element) => element?.id === 'username')).to.have.length(1)
    await sendKeys({ type: 'alice' })
    await sendKeys({ press: 'Tab' })
    await sendKeys({ type: DEMO_PASSWORD })
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => deepActive()?.textContent?.includes('Signed in as'), 'focus moves to the signed-in status', WAIT)
    await waitUntil(() => boardEl.shadowRoot!.querySelectorAll('[part~="card"]').length === 8, 'the board’s tasks on screen', WAIT)
    await boardEl.updateComplete

    // The whole signed-in page, once through: 8 tasks cost one Tab stop.
    const page1 = await tabUntil((element) => element?.id === 'end')
    expect(page1).to.deep.equal([
      'rt-login logout',
      'rt-task-board card-title',
      'rt-task-board add-input',
      'rt-task-board add-button',
      'rt-task-board add-input',
      'rt-task-board add-button',
      'rt-task-board add-input',
      'rt-task-board add-button',
      'rt-chat log',
      'rt-chat input',
      'rt-chat send',
      'page end',
    ])

    // Add: from the start of the page, to the To do column's field.
    page.querySelector<HTMLButtonElement>('#start')!.focus()
    const toAdd = await tabUntil((element) => element?.id === 'add-todo')
    await sendKeys({ type: 'Journey task' })
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => card(boardEl, 'Journey task'), 'added', WAIT)

    // Move: back into the column's grid, to the last card, and one column right.
    await pressWith('Shift', 'Tab')
    await pressWith('Control', 'End')
    await waitUntil(() => deepActive()?.textContent?.trim() === 'Journey task', 'on the new card', WAIT)
    await pressWith('Shift', 'ArrowRight')
    await waitUntil(() => columnOf(boardEl, 'Journey task') === 'doing', 'moved to Doing', WAIT)
    await waitUntil(() => deepActive()?.textContent?.trim() === 'Journey task', 'focus follows the card', WAIT)

    // Rename: Enter edits the title (selected), typing replaces it, Enter saves.
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => deepActive()?.getAttribute('part') === 'rename-input', 'the rename field', WAIT)
    await sendKeys({ type: 'Renamed by keyboard' })
    await sendKeys({ press: 'Enter' })
    await waitUntil(
      () => card(boardEl, 'Renamed by keyboard') && deepActive()?.textContent?.trim() === 'Renamed by keyboard',
      'renamed',
      WAIT,
    )

    // Remove: Delete on the card.
    await sendKeys({ press: 'Delete' })
    await waitUntil(() => !card(boardEl, 'Renamed by keyboard'), 'removed', WAIT)

    // Send a message: on to the chat's composer.
    const toChat = await tabUntil((element) => element?.id === 'composer-input')
    await sendKeys({ type: 'Sent from the keyboard' })
    await sendKeys({ press: 'Enter' })
    await waitUntil(
      () => shadowAll(chat, '[part="text"]').some((text) => text.textContent === 'Sent from the keyboard'),
      'the message is in the room',
      WAIT,
    )

    const tabStops = 1 + 1 + page1.length + toAdd.length + toChat.length
    console.log(`keyboard journey: ${tabStops} Tab presses (a full pass of the signed-in page: ${page1.length - 1} stops)`)
    expect(toAdd, 'from the page start to the To do field').to.have.length(3)
    expect(tabStops).to.be.at.most(30)
  })
})
