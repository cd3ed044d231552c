import { expect, oneEvent, waitUntil } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import type { TaskFields } from '../../contracts/index.ts'
import { card, columnOf, focused, liveBoard, mountBoard, pressWith } from '../testing/board-fixtures.ts'
import { ApiClient, WAIT, disposeKits, settled, shadow, shadowAll, shadowFind, signedInKit, uniqueName } from '../testing/test-server.ts'

/** The title of the card a focused element belongs to, and which of its cells it is. */
const at = (element: HTMLElement | null) => [
  element?.closest('[role="row"]')?.querySelector('[part="card-title"]')?.textContent?.trim(),
  element?.dataset.cell,
]

describe('<rt-task-board> from the keyboard', () => {
  afterEach(disposeKits)

  it('is one Tab stop per column: arrow keys move a roving tabindex across cards and their buttons', async () => {
    const { el } = await liveBoard([{ title: 'One' }, { title: 'Two' }, { title: 'Three' }, { title: 'Doing it', status: 'doing' }])
    const stops = (status: string) => shadowAll(el, `.list[data-status="${status}"] [tabindex="0"]`)
    expect(stops('todo')).to.have.length(1)
    expect(stops('doing')).to.have.length(1)
    expect(shadow(el, '.list[data-status="done"]'), 'an empty column has no grid').to.equal(null)
    stops('todo')[0]!.focus()
    expect(at(focused(el))).to.deep.equal(['One', '0'])

    await sendKeys({ press: 'ArrowDown' })
    expect(at(focused(el))).to.deep.equal(['Two', '0'])
    await sendKeys({ press: 'ArrowRight' })
    expect(at(focused(el))).to.deep.equal(['Two', '1'])
    await sendKeys({ press: 'End' })
    expect(at(focused(el))).to.deep.equal(['Two', '2'])
    await sendKeys({ press: 'ArrowRight' })
    expect(at(focused(el)), 'the last cell stays').to.deep.equal(['Two', '2'])
    await pressWith('Control', 'End')
    expect(at(focused(el))).to.deep.equal(['Three', '2'])
    await sendKeys({ press: 'Home' })
    expect(at(focused(el))).to.deep.equal(['Three', '0'])
    await el.updateComplete
    expect(stops('todo').map((cell) => at(cell))).to.deep.equal([['Three', '0']])

    await sendKeys({ press: 'Tab' })
    expect(focused(el)?.id, 'Tab leaves the grid for the add field').to.equal('add-todo')
    await pressWith('Shift', 'Tab')
    expect(at(focused(el)), 'Shift+Tab comes back to the same cell').to.deep.equal(['Three', '0'])
  })

  it('moves, renames and removes with the keyboard, focus following the card', async () => {
    const { el, bob, board, kit } = await liveBoard([{ title: 'First' }, { title: 'Second' }])
    card(el, 'First')!.querySelector<HTMLButtonElement>('[part="card-title"]')!.focus()

    const moved = oneEvent(el, 'rt-task-move')
    await pressWith('Shift', 'ArrowRight')
    expect((await moved).detail).to.include({ board, from: 'todo', status: 'doing' })
    await waitUntil(() => columnOf(el, 'First') === 'doing', 'moved to doing', WAIT)
    await waitUntil(() => at(focused(el))[0] === 'First', 'focus follows the card', WAIT)

    await pressWith('Shift', 'ArrowLeft')
    await pressWith('Shift', 'ArrowDown')
    await waitUntil(
      () => columnOf(el, 'First') === 'todo' && el.columns.todo.map((t) => t.title).join() === 'Second,First',
      'moved below Second',
      WAIT,
    )

    await sendKeys({ press: 'Enter' })
    const input = await shadowFind<HTMLInputElement>(el, '[part="rename-input"]', 'rename input')
    expect(focused(el)).to.equal(input)
    input.value = 'Renamed'
    const renamed = oneEvent(el, 'rt-task-rename')
    await sendKeys({ press: 'Enter' })
    expect((await renamed).detail).to.include({ board, title: 'Renamed' })
    await waitUntil(() => at(focused(el))[0] === 'Renamed', 'focus back on the card', WAIT)

    const removed = oneEvent(el, 'rt-task-remove')
    await sendKeys({ press: 'Delete' })
    expect((await removed).detail).to.include({ board })
    await waitUntil(() => !card(el, 'Renamed'), 'removed', WAIT)
    await waitUntil(() => at(focused(el))[0] === 'Second', 'focus on the card that took its place', WAIT)
    await settled(kit)
    const { items } = await bob.list<TaskFields>('tasks', { board })
    expect(items.map((task) => task.title)).to.deep.equal(['Second'])
  })

  it('removes with the visible Remove button, focus staying on Remove of the next card', async () => {
    const { el } = await liveBoard([{ title: 'Gone' }, { title: 'Next' }])
    const remove = card(el, 'Gone')!.querySelector<HTMLButtonElement>('[part~="card-remove"]')!
    expect(remove.getAttribute('aria-label')).to.equal('Remove task: Gone')
    remove.focus()
    await sendKeys({ press: 'Enter' })
    await waitUntil(() => !card(el, 'Gone'), 'removed', WAIT)
    await waitUntil(() => at(focused(el)).join() === 'Next,2', 'focus on Remove of the next card', WAIT)
  })

  it('moves with the "Move to…" menu, and Escape closes it back on its button', async () => {
    const { el, board } = await liveBoard([{ title: 'Pick me' }])
    const button = card(el, 'Pick me')!.querySelector<HTMLButtonElement>('[part~="card-move"]')!
    expect(button.textContent).to.contain('Move to…')
    button.focus()
    await sendKeys({ press: 'Enter' })
    const menu = await shadowFind(el, '#move-menu:popover-open', 'the open menu')
    expect(button.getAttribute('aria-expanded')).to.equal('true')
    expect([...menu.querySelectorAll('[role="menuitem"]')].map((item) => item.textContent!.trim())).to.deep.equal(['Doing', 'Done'])
    expect(focused(el)?.textContent?.trim()).to.equal('Doing')
    await expect(el).to.be.accessible()

    await sendKeys({ press: 'Escape' })
    await waitUntil(() => !menu.matches(':popover-open') && at(focused(el)).join() === 'Pick me,1', 'closed, focus on Move to…', WAIT)

    await sendKeys({ press: 'Enter' })
    await shadowFind(el, '#move-menu:popover-open', 'the menu again')
    await sendKeys({ press: 'ArrowDown' })
    const moved = oneEvent(el, 'rt-task-move')
    await sendKeys({ press: 'Enter' })
    expect((await moved).detail).to.include({ board, from: 'todo', status: 'done' })
    await waitUntil(() => columnOf(el, 'Pick me') === 'done', 'moved to done', WAIT)
    await waitUntil(() => at(focused(el)).join() === 'Pick me,1', 'focus on the card’s Move to… in its new column', WAIT)
  })

  it('reaches the last card of a virtualized column, and hands focus on when the focused card is scrolled away', async () => {
    const board = uniqueName('board')
    const bob = await ApiClient.login('bob')
    const count = 120
    for (let start = 0; start < count; start += 30) {
      await Promise.all(
        Array.from({ length: Math.min(30, count - start) }, (_, i) =>
          bob.insert<Partial<TaskFields>>('tasks', { board, title: `Task ${start + i}`, status: 'todo', order: start + i }),
        ),
      )
    }
    const el = await mountBoard(await signedInKit('alice'), board, 20)
    await waitUntil(() => el.columns.todo.length === count, 'all tasks loaded', WAIT)
    const first = await shadowFind(el, '.list[data-status="todo"] [part="card-title"][tabindex="0"]', 'the first card')
    first.focus()
    await pressWith('Control', 'End')
    await waitUntil(() => at(focused(el))[0] === `Task ${count - 1}`, 'last card focused', WAIT)

    // Scroll back to the top: the focused card leaves the rendered window, and the list becomes the Tab stop.
    shadow(el, '#add-todo')!.focus()
    const list = shadow(el, '.list[data-status="todo"]')!
    list.scrollTop = 0
    await waitUntil(() => list.getAttribute('tabindex') === '0', 'the list is the Tab stop', WAIT)
    await pressWith('Shift', 'Tab')
    await waitUntil(() => at(focused(el))[0] === `Task ${count - 1}`, 'focus handed on to the card', WAIT)
  })
})
