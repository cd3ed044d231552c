import type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js'
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js'
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { TaskStatus } from '../../contracts/index.ts'
import { neighbourOf, type BoardTask, type Columns } from './board-columns.ts'
import { Cell } from './cell.ts'
import { virtualizer } from './virtualizer.ts'

const LAST_CELL: Cell = Cell.remove
/** Rows PageUp and PageDown skip. */
const PAGE = 10

/** The focusable cell of one column; `index` finds a neighbour when its task goes away. */
interface Position {
  readonly id: string
  readonly cell: Cell
  readonly index: number
}

/** What the keyboard does to tasks; the board issues the commands. */
export interface BoardKeyboardOptions {
  columns: () => Columns
  move: (task: BoardTask, status: TaskStatus, index: number) => void
  remove: (task: BoardTask) => void
  rename: (task: BoardTask) => void
}

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment }

const clampCell = (cell: number): Cell => Math.max(0, Math.min(LAST_CELL, cell)) as Cell

/**
 * The board's keyboard, in the WAI-ARIA grid pattern: each column's cards are
 * a grid with one Tab stop (a roving tabindex: the cell focused last in that
 * column has `tabindex="0"`, every other cell `-1`), and arrow keys move
 * within it. ↑/↓ go to the previous/next card, ←/→ between a card's cells
 * (title, Move to…, Remove), Home/End to the first/last cell of the card,
 * Ctrl+Home/End to the first/last card, PageUp/PageDown ten cards.
 * Shift+arrows move the card (↑/↓ within the column, ←/→ to the
 * neighbouring column) and focus follows it; F2 renames; Delete removes.
 *
 * A virtualized column may not have its focusable card in the DOM; the list
 * itself is then the Tab stop and hands focus on to that card.
 */
export class BoardKeyboard implements ReactiveController {
  private readonly host: Host
  private readonly options: BoardKeyboardOptions
  /** The focusable cell of each column, as last set. */
  private readonly wanted = new Map<TaskStatus, Position>()
  /** The same, checked against the columns before each render. */
  private current = new Map<TaskStatus, Position>()
  /** The rendered range of each virtualized column. */
  private readonly ranges = new Map<TaskStatus, { first: number; last: number }>()

  constructor(host: Host, options: BoardKeyboardOptions) {
    this.host = host
    this.options = options
    host.addController(this)
  }

  hostUpdate(): void {
    const columns = this.options.columns()
    const current = new Map<TaskStatus, Position>()
    for (const status of Object.keys(columns) as TaskStatus[]) {
      const column = columns[status]
      if (column.length === 0) continue
      const wanted = this.wanted.get(status)
      const index = wanted ? column.findIndex((task) => task.id === wanted.id) : -1
      if (wanted && index >= 0) current.set(status, { ...wanted, index })
      else {
        // Gone (removed, moved away) or never set: the card now at its place, else the first.
        const at = Math.min(wanted?.index ?? 0, column.length - 1)
        current.set(status, { id: column[at]!.id, cell: wanted?.cell ?? Cell.title, index: at })
      }
    }
    this.current = current
  }

  /** `tabindex` of one cell of a card. */
  tabIndex(task: BoardTask, cell: Cell): 0 | -1 {
    const position = this.current.get(task.status)
    return position?.id === task.id && position.cell === cell ? 0 : -1
  }

  /** What a column's rendering reads from the keyboard (its focusable cell, whether the list is the Tab stop), as one value that changes when that does. */
  stateOf(status: TaskStatus): string {
    const position = this.current.get(status)
    return position ? `${position.id} ${position.cell} ${position.index} ${this.listIsTabStop(status, true)}` : ''
  }

  /** Whether a column's list must be the Tab stop itself: virtualized, with its focusable card not rendered. */
  listIsTabStop(status: TaskStatus, virtual: boolean): boolean {
    if (!virtual) return false
    const position = this.current.get(status)
    const range = this.ranges.get(status)
    return position !== undefined && (!range || position.index < range.first || position.index > range.last)
  }

  /** The `rangeChanged` listener of a virtualized list. */
  onRange(status: TaskStatus, event: RangeChangedEvent): void {
    const before = this.listIsTabStop(status, true)
    this.ranges.set(status, { first: event.first, last: event.last })
    if (this.listIsTabStop(status, true) !== before) this.host.requestUpdate()
  }

  /** The `focusin` listener of each list: remembers the focused cell, or hands focus on from the list itself. */
  readonly onFocusIn = (event: FocusEvent): void => {
    const list = event.currentTarget as HTMLElement
    const status = list.dataset.status as TaskStatus
    if (event.target === list) {
      const position = this.current.get(status)
      if (position) void this.focus(position.id, position.cell)
      return
    }
    const at = this.positionOf(event.target)
    if (!at) return
    const previous = this.wanted.get(status)
    this.wanted.set(status, { id: at.task.id, cell: at.cell, index: at.index })
    if (previous?.id !== at.task.id || previous.cell !== at.cell) this.host.requestUpdate()
  }

  /** The `keydown` listener of each list. */
  readonly onKeydown = (event: KeyboardEvent): void => {
    const at = this.positionOf(event.target)
    if (!at || event.altKey || event.metaKey) return
    const { task, cell, index, column } = at
    const { key } = event
    const vertical = key === 'ArrowUp' ? -1 : key === 'ArrowDown' ? 1 : 0
    // Left and right follow the screen: under dir="rtl" the columns and cells run right to left.
    const [left, right] = getComputedStyle(this.host).direction === 'rtl' ? ([1, -1] as const) : ([-1, 1] as const)
    const horizontal = key === 'ArrowLeft' ? left : key === 'ArrowRight' ? right : 0
    if (key === 'F2') this.options.rename(task)
    else if (key === 'Delete' || key === 'Backspace') this.options.remove(task)
    else if (event.shiftKey && vertical) {
      if (index + vertical >= 0 && index + vertical < column.length) this.moveAndFollow(task, task.status, index + vertical, cell)
    } else if (event.shiftKey && horizontal) {
      const to = neighbourOf(task.status, horizontal)
      if (to) this.moveAndFollow(task, to, index, cell)
    } else if (vertical) void this.focusAt(task.status, index + vertical, cell)
    else if (horizontal) void this.focus(task.id, clampCell(cell + horizontal))
    else if ((key === 'Home' || key === 'End') && event.ctrlKey)
      void this.focusAt(task.status, key === 'Home' ? 0 : column.length - 1, cell)
    else if (key === 'Home' || key === 'End') void this.focus(task.id, key === 'Home' ? Cell.title : LAST_CELL)
    else if (key === 'PageUp' || key === 'PageDown') void this.focusAt(task.status, index + (key === 'PageUp' ? -PAGE : PAGE), cell)
    else return
    event.preventDefault()
  }

  /** Focuses a cell of the card at `index` of a column (clamped); the column's add field if it is empty. */
  async focusAt(status: TaskStatus, index: number, cell: Cell = Cell.title): Promise<void> {
    await this.host.updateComplete
    const column = this.options.columns()[status]
    const task = column[Math.max(0, Math.min(index, column.length - 1))]
    if (task) await this.focus(task.id, cell)
    else this.host.renderRoot.querySelector<HTMLElement>(`#add-${status}`)?.focus()
  }

  /** Focuses a cell of a task's card, scrolling a virtualized column to it first. */
  async focus(id: string, cell: Cell = Cell.title): Promise<void> {
    await this.host.updateComplete
    const columns = this.options.columns()
    const status = (Object.keys(columns) as TaskStatus[]).find((candidate) => columns[candidate].some((task) => task.id === id))
    if (!status) return
    const index = columns[status].findIndex((task) => task.id === id)
    this.wanted.set(status, { id, cell, index })
    this.host.requestUpdate()
    await this.host.updateComplete
    const selector = `[data-id="${CSS.escape(id)}"] [data-cell="${cell}"]`
    let target = this.host.renderRoot.querySelector<HTMLElement>(selector)
    if (!target) {
      const list = this.host.renderRoot.querySelector<VirtualizerHostElement>(`.list[data-status="${status}"]`)
      const ref = virtualizer()?.virtualizerRef
      if (ref) list?.[ref]?.element(index)?.scrollIntoView({ block: 'nearest' })
      // The virtualizer renders the newly visible range within a few frames; give up after a handful.
      for (let frame = 0; frame < 10 && !target; frame += 1) {
        await new Promise((resolve) => requestAnimationFrame(resolve))
        target = this.host.renderRoot.querySelector<HTMLElement>(selector)
      }
    }
    target?.focus()
  }

  private moveAndFollow(task: BoardTask, status: TaskStatus, index: number, cell: Cell): void {
    this.options.move(task, status, index)
    void this.focus(task.id, cell)
  }

  /** The card and cell an event happened on, if it happened on a cell (not the list, not the rename field). */
  private positionOf(target: EventTarget | null) {
    if (!(target instanceof HTMLElement) || target.dataset.cell === undefined) return undefined
    const id = target.closest<HTMLElement>('[role="row"]')?.dataset.id
    const status = target.closest<HTMLElement>('.list')?.dataset.status as TaskStatus | undefined
    const column = status ? this.options.columns()[status] : undefined
    const index = column?.findIndex((task) => task.id === id) ?? -1
    if (!column || index < 0) return undefined
    return { task: column[index]!, cell: clampCell(Number(target.dataset.cell)), index, column }
  }
}
