import { expect, oneEvent, waitUntil } from '@open-wc/testing'
import type { TaskFields } from '../../contracts/index.ts'
import type { TaskChangeDetail } from './task-board.ts'
import { card, columnOf, liveBoard, mountBoard } from '../testing/board-fixtures.ts'
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
} from '../testing/test-server.ts'

describe('<rt-task-board>', () => {
  afterEach(disposeKits)

  describe('when signed out', () => {
    it('asks to sign in', async () => {
      const el = await mountBoard(await newKit(), 'launch')
      await shadowFind(el, '[data-state="signed-out"]')
    })
  })

  describe('with live data', () => {
    it('renders three columns with the board’s tasks, each list a grid of rows, and is accessible', async () => {
      const { el } = await liveBoard([{ title: 'Write docs' }, { title: 'Ship', status: 'doing' }])
      expect(shadowAll(el, '[part~="column"]')).to.have.length(3)
      expect(columnOf(el, 'Write docs')).to.equal('todo')
      expect(columnOf(el, 'Ship')).to.equal('doing')
      expect(card(el, 'Ship')!.getAttribute('role')).to.equal('row')
      expect(shadow(el, '.list[data-status="todo"]')!.getAttribute('role')).to.equal('grid')
      await expect(el).to.be.accessible()
    })

    it('shows another user’s changes live and reports them as remote rt-task-change events', async () => {
      const { el, bob, board } = await liveBoard([{ title: 'Existing' }])
      const changes: TaskChangeDetail[] = []
      el.addEventListener('rt-task-change', (event) => changes.push(event.detail))
      const added = await bob.insert<Partial<TaskFields>>('tasks', { board, title: 'From Bob', status: 'todo', order: 5 })
      await waitUntil(() => card(el, 'From Bob'), 'bob’s task appears', WAIT)
      await bob.update<TaskFields>('tasks', added.id, { status: 'done', title: 'Done by Bob' }, added.version)
      await waitUntil(() => columnOf(el, 'Done by Bob') === 'done', 'bob’s move and rename show', WAIT)
      expect(changes.map((c) => [c.board, c.origin, c.op, c.id, c.version, c.previousVersion])).to.deep.equal([
        [board, 'remote', 'upsert', added.id, 1, undefined],
        [board, 'remote', 'upsert', added.id, 2, 1],
      ])
      expect(changes[1]!.previous?.title).to.equal('From Bob')
      expect(changes[1]!.doc?.title).to.equal('Done by Bob')
    })

    it('adds a task with the column form, marked pending until confirmed, with its command events', async () => {
      const { el, bob, board } = await liveBoard()
      const input = shadow<HTMLInputElement>(el, '#add-doing')!
      input.value = 'New idea'
      const added = oneEvent(el, 'rt-task-add')
      const confirmed = oneEvent(el, 'rt-command-confirm')
      const changed = oneEvent(el, 'rt-task-change')
      shadow<HTMLButtonElement>(el, '[part="add-button"][aria-label="Add task to Doing"]')!.click()
      const event = await added
      expect(event.bubbles && event.composed).to.equal(true)
      expect(event.detail).to.include({ board, title: 'New idea', status: 'doing' })
      expect(card(el, 'New idea')!.getAttribute('part')).to.contain('card-pending')
      const confirm = (await confirmed).detail
      expect(confirm).to.include({
        board,
        commandId: event.detail.commandId,
        type: 'insert',
        id: event.detail.id,
        collection: 'tasks',
        version: 1,
      })
      const change = (await changed).detail
      expect(change).to.include({ board, origin: 'local', op: 'upsert', id: event.detail.id, commandId: event.detail.commandId })
      await waitUntil(() => !card(el, 'New idea')!.getAttribute('part')!.includes('card-pending'), 'confirmed', WAIT)
      const { items } = await bob.list<TaskFields>('tasks', { board })
      expect(items.map((task) => [task.title, task.status])).to.deep.equal([['New idea', 'doing']])
    })

    it('acts on the clicked card: its title renames it, "Move to…" opens the menu for it, Remove removes it', async () => {
      const { el, bob, board } = await liveBoard([
        { title: 'Second', order: 2 },
        { title: 'Third', order: 3 },
      ])
      // A task lands above them: the cards' rows are drawn again at new indexes.
      await bob.insert<Partial<TaskFields>>('tasks', { board, status: 'todo', order: 1, title: 'First' })
      await waitUntil(() => el.columns.todo.length === 3 && card(el, 'First'), 'the new task above', WAIT)
      const button = (title: string, part: string) => card(el, title)!.querySelector<HTMLButtonElement>(`[part~="${part}"]`)!

      button('Third', 'card-title').click()
      const input = await shadowFind<HTMLInputElement>(el, '[part="rename-input"]', 'rename input')
      expect(input.value).to.equal('Third')
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }))
      await waitUntil(() => !shadow(el, '[part="rename-input"]'), 'rename cancelled', WAIT)

      button('Second', 'card-move').click()
      await shadowFind(el, '#move-menu:popover-open', 'the open menu')
      expect(button('Second', 'card-move').getAttribute('aria-expanded')).to.equal('true')
      expect(button('Third', 'card-move').getAttribute('aria-expanded')).to.equal('false')
      expect(button('Second', 'card-move').getAttribute('aria-label')).to.equal('Move to… (Second)')
      ;(el.shadowRoot!.querySelector('#move-menu') as HTMLElement).hidePopover()

      const first = el.columns.todo.find((task) => task.title === 'First')!
      const removed = oneEvent(el, 'rt-task-remove')
      button('First', 'card-remove').click()
      expect((await removed).detail).to.include({ id: first.id })
      await waitUntil(() => !card(el, 'First') && card(el, 'Second') && card(el, 'Third'), 'only First removed', WAIT)
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

    it('shows a rejected change with rt-command-reject, rolls it back, and dismisses it', async () => {
      const { el, board } = await liveBoard([{ title: 'Valid' }])
      const input = shadow<HTMLInputElement>(el, '#add-todo')!
      input.value = 'x'.repeat(300) // past the field's maxlength, as a script could set it
      const added = oneEvent(el, 'rt-task-add')
      const rejected = oneEvent(el, 'rt-command-reject')
      input.form!.requestSubmit()
      const { commandId } = (await added).detail
      const reject = (await rejected).detail
      expect(reject).to.include({ board, commandId, type: 'insert', collection: 'tasks' })
      expect(reject.error).to.include({ code: 'validation_failed', status: 422 })
      const error = await shadowFind(el, '[part="error"]', 'error shown')
      await waitUntil(() => el.columns.todo.length === 1, 'rolled back', WAIT)
      await expect(el).to.be.accessible()
      ;(error.querySelector('[part="error-dismiss"]') as HTMLButtonElement).click()
      await waitUntil(() => !shadow(el, '[part="error"]'), 'dismissed', WAIT)
    })

    it('recovers from a conflict by applying the change again', async () => {
      const { el, kit } = await liveBoard([{ title: 'Contested' }])
      const task = el.columns.todo[0]!
      kit.update('tasks', task.id, { title: 'Mine' }, { expectedVersion: task.version + 5 })
      const error = await shadowFind(el, '[part="error"][data-code="conflict"]', 'conflict shown')
      const confirmed = oneEvent(el, 'rt-command-confirm')
      ;(error.querySelector('[part="error-action"]') as HTMLButtonElement).click()
      expect((await confirmed).detail).to.include({ id: task.id, type: 'update' })
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
    it('renders only the visible cards, and is still accessible', async () => {
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
      const el = await mountBoard(await signedInKit('alice'), board, 20)
      await waitUntil(() => el.columns.todo.length === count, 'all tasks loaded', WAIT)
      const windowed = () => shadowAll(el, '.list[data-status="todo"] > .card')
      await waitUntil(() => windowed().length > 0 && windowed().length < count, 'a virtualized window of cards', WAIT)
      expect(windowed().length).to.be.lessThan(count)
      await expect(el).to.be.accessible()
    })
  })
})
