import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { TaskFields } from '../../contracts/index.ts'
import type { Kit } from '../../services/index.ts'
import '../provider/provider.ts'
import './task-board.ts'
import type { RtTaskBoard } from './task-board.ts'
import { orderAt, orderBetween } from './task-order.ts'
import {
  ApiClient,
  disposeKits,
  HOSTILE,
  newKit,
  ranHostileContent,
  settled,
  shadow,
  shadowAll,
  shadowFind,
  signedInKit,
  uniqueName,
  WAIT,
  whenLive,
} from '../testing/test-server.ts'

async function mount(kit: Kit, board: string, threshold = 50): Promise<RtTaskBoard> {
  const provider = await fixture(
    html`<rt-provider .kit=${kit}><rt-task-board board=${board} virtualize-threshold=${threshold}></rt-task-board></rt-provider>`,
  )
  return provider.querySelector('rt-task-board')!
}

/** A board with live data, as alice; `seed` tasks are written first by bob. */
async function liveBoard(seed: Array<Partial<TaskFields>> = [], threshold = 50) {
  const board = uniqueName('board')
  const bob = await ApiClient.login('bob')
  for (const [index, task] of seed.entries()) {
    await bob.insert<Partial<TaskFields>>('tasks', { board, status: 'todo', order: index + 1, ...task })
  }
  const kit = await signedInKit('alice')
  const el = await mount(kit, board, threshold)
  await whenLive(kit, { collection: 'tasks', board })
  await waitUntil(() => el.columns.todo.length + el.columns.doing.length + el.columns.done.length === seed.length, 'seeded tasks', WAIT)
  await el.updateComplete
  return { board, bob, kit, el }
}

/** Presses `key` with Shift held (sendKeys takes no "Shift+" combos). */
async function shiftPress(key: string): Promise<void> {
  await sendKeys({ down: 'Shift' })
  await sendKeys({ press: key })
  await sendKeys({ up: 'Shift' })
}

// The virtualizer resizes inside ResizeObserver callbacks; Chromium then reports a
// harmless "loop completed with undelivered notifications" error, which Mocha would count as a failure.
window.addEventListener(
  'error',
  (event) => {
    if (event.message?.includes('ResizeObserver loop')) event.stopImmediatePropagation()
  },
  true,
)

const card = (el: RtTaskBoard, title: string) =>
  shadowAll(el, '[part~="card"]').find((candidate) => candidate.querySelector('[part="card-title"]')?.textContent?.trim() === title)

const columnOf = (el: RtTaskBoard, title: string) => card(el, title)?.closest<HTMLElement>('.column')?.dataset.status

describe('orderBetween / orderAt', () => {
  it('places between, after, before, or alone', () => {
    expect(orderBetween(1, 2)).to.equal(1.5)
    expect(orderBetween(3, undefined)).to.equal(4)
    expect(orderBetween(undefined, 3)).to.equal(2)
    expect(orderBetween(undefined, undefined)).to.equal(1)
    expect(orderAt([{ order: 1 }, { order: 2 }], 1)).to.equal(1.5)
    expect(orderAt([{ order: 1 }, { order: 2 }], 9)).to.equal(3)
  })
})

describe('<rt-task-board>', () => {
  afterEach(disposeKits)

  describe('when signed out', () => {
    it('asks to sign in', async () => {
      const el = await mount(await newKit(), 'launch')
      await shadowFind(el, '[data-state="signed-out"]', 'signed-out notice')
    })
  })

  describe('with live data', () => {
    it('renders three columns with the board’s tasks and is accessible', async () => {
      const { el } = await liveBoard([{ title: 'Write docs' }, { title: 'Ship', status: 'doing' }])
      expect(shadowAll(el, '[part~="column"]')).to.have.length(3)
      expect(columnOf(el, 'Write docs')).to.equal('todo')
      expect(columnOf(el, 'Ship')).to.equal('doing')
      await expect(el).to.be.accessible()
    })

    it('shows another user’s changes live', async () => {
      const { el, bob, board } = await liveBoard([{ title: 'Existing' }])
      const added = await bob.insert<Partial<TaskFields>>('tasks', { board, title: 'From Bob', status: 'todo', order: 5 })
      await waitUntil(() => card(el, 'From Bob'), 'bob’s task appears', WAIT)
      await bob.update<TaskFields>('tasks', added.id, { status: 'done', title: 'Done by Bob' }, added.version)
      await waitUntil(() => columnOf(el, 'Done by Bob') === 'done', 'bob’s move and rename show', WAIT)
    })

    it('adds a task with the column form, marked pending until confirmed', async () => {
      const { el, bob, board } = await liveBoard()
      const input = shadow<HTMLInputElement>(el, '#add-doing')!
      input.value = 'New idea'
      const added = oneEvent(el, 'rt-task-add')
      shadow<HTMLButtonElement>(el, '[part="add-button"][aria-label="Add task to Doing"]')!.click()
      const event = await added
      expect(event.bubbles && event.composed).to.equal(true)
      expect(event.detail).to.include({ title: 'New idea', status: 'doing' })
      expect(card(el, 'New idea')!.getAttribute('part')).to.contain('card-pending')
      await waitUntil(() => !card(el, 'New idea')!.getAttribute('part')!.includes('card-pending'), 'confirmed', WAIT)
      const { items } = await bob.list<TaskFields>('tasks', { board })
      expect(items.map((task) => [task.title, task.status])).to.deep.equal([['New idea', 'doing']])
    })

    it('moves, renames and removes with the keyboard', async () => {
      const { el, bob, board, kit } = await liveBoard([{ title: 'First' }, { title: 'Second' }])
      card(el, 'First')!.querySelector<HTMLButtonElement>('[part="card-title"]')!.focus()

      const moved = oneEvent(el, 'rt-task-move')
      await shiftPress('ArrowRight')
      expect((await moved).detail).to.include({ from: 'todo', status: 'doing' })
      await waitUntil(() => columnOf(el, 'First') === 'doing', 'moved to doing', WAIT)
      await waitUntil(() => el.shadowRoot!.activeElement?.textContent?.trim() === 'First', 'focus follows the card', WAIT)

      await shiftPress('ArrowLeft')
      await shiftPress('ArrowDown')
      await waitUntil(
        () => columnOf(el, 'First') === 'todo' && el.columns.todo.map((t) => t.title).join() === 'Second,First',
        'moved below Second',
        WAIT,
      )

      await sendKeys({ press: 'Enter' })
      const input = await shadowFind<HTMLInputElement>(el, '[part="rename-input"]', 'rename input')
      expect(el.shadowRoot!.activeElement).to.equal(input)
      input.value = 'Renamed'
      const renamed = oneEvent(el, 'rt-task-rename')
      await sendKeys({ press: 'Enter' })
      expect((await renamed).detail.title).to.equal('Renamed')
      await waitUntil(() => el.shadowRoot!.activeElement?.textContent?.trim() === 'Renamed', 'focus back on the card', WAIT)

      const removed = oneEvent(el, 'rt-task-remove')
      await sendKeys({ press: 'Delete' })
      await removed
      await waitUntil(() => !card(el, 'Renamed'), 'removed', WAIT)
      await settled(kit)
      const { items } = await bob.list<TaskFields>('tasks', { board })
      expect(items.map((task) => task.title)).to.deep.equal(['Second'])
    })

    it('moves a task by drag and drop', async () => {
      const { el } = await liveBoard([{ title: 'Drag me' }, { title: 'Stay' }])
      const dragged = card(el, 'Drag me')!
      const dataTransfer = new DataTransfer()
      dragged.dispatchEvent(new DragEvent('dragstart', { bubbles: true, composed: true, dataTransfer }))
      await el.updateComplete
      expect(dragged.getAttribute('part')).to.contain('card-dragging')
      const done = shadow(el, '.column[data-status="done"]')!
      const box = done.getBoundingClientRect()
      const point = { clientX: box.left + 10, clientY: box.top + 10 }
      done.dispatchEvent(new DragEvent('dragover', { bubbles: true, composed: true, cancelable: true, dataTransfer, ...point }))
      await el.updateComplete
      expect(done.getAttribute('part')).to.contain('column-drop-target')
      const moved = oneEvent(el, 'rt-task-move')
      done.dispatchEvent(new DragEvent('drop', { bubbles: true, composed: true, cancelable: true, dataTransfer, ...point }))
      dragged.dispatchEvent(new DragEvent('dragend', { bubbles: true, composed: true, dataTransfer }))
      expect((await moved).detail).to.include({ status: 'done' })
      await waitUntil(() => columnOf(el, 'Drag me') === 'done', 'dropped into done', WAIT)
    })

    it('shows a rejected change, and dismisses it', async () => {
      const { el, kit } = await liveBoard([{ title: 'Valid' }])
      kit.renameTask(el.columns.todo[0]!.id, 'x'.repeat(300))
      const error = await shadowFind(el, '[part="error"]', 'error shown')
      await waitUntil(() => card(el, 'Valid'), 'rolled back', WAIT)
      await expect(el).to.be.accessible()
      ;(error.querySelector('[part="error-dismiss"]') as HTMLButtonElement).click()
      await waitUntil(() => !shadow(el, '[part="error"]'), 'dismissed', WAIT)
    })

    it('recovers from a conflict by applying the change again', async () => {
      const { el, kit } = await liveBoard([{ title: 'Contested' }])
      const task = el.columns.todo[0]!
      kit.update('tasks', task.id, { title: 'Mine' }, { expectedVersion: task.version + 5 })
      const error = await shadowFind(el, '[part="error"][data-code="conflict"]', 'conflict shown')
      ;(error.querySelector('[part="error-action"]') as HTMLButtonElement).click()
      await waitUntil(() => card(el, 'Mine') && !shadow(el, '[part="error"]'), 'applied again', WAIT)
    })

    it('renders hostile titles inertly', async () => {
      const { el, bob, board } = await liveBoard()
      await bob.insert<Partial<TaskFields>>('tasks', { board, title: HOSTILE.slice(0, 200), status: 'todo', order: 1 })
      await waitUntil(() => el.columns.todo.length === 1, 'hostile task', WAIT)
      await el.updateComplete
      expect(card(el, HOSTILE.slice(0, 200))).to.exist
      expect(ranHostileContent(el)).to.equal(false)
    })
  })

  describe('with a long column', () => {
    it('renders only the visible cards and still reaches the last one from the keyboard', async () => {
      const board = uniqueName('board')
      const bob = await ApiClient.login('bob')
      const count = 150
      for (let start = 0; start < count; start += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, count - start) }, (_, i) =>
            bob.insert<Partial<TaskFields>>('tasks', { board, title: `Task ${start + i}`, status: 'todo', order: start + i }),
          ),
        )
      }
      const el = await mount(await signedInKit('alice'), board, 20)
      await waitUntil(() => el.columns.todo.length === count, 'all tasks loaded', WAIT)
      const windowed = () => shadowAll(el, '.list[data-status="todo"] > .card')
      await waitUntil(() => windowed().length > 0 && windowed().length < count, 'a virtualized window of cards', WAIT)
      const rendered = windowed()
      expect(rendered.length).to.be.lessThan(count)
      await expect(el).to.be.accessible()
      rendered[0]!.querySelector<HTMLButtonElement>('[part="card-title"]')!.focus()
      await sendKeys({ press: 'End' })
      await waitUntil(() => el.shadowRoot!.activeElement?.textContent?.trim() === `Task ${count - 1}`, 'last card focused', WAIT)
    })
  })
})
