import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js'
import { html, LitElement, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { keyed } from 'lit/directives/keyed.js'
import { repeat } from 'lit/directives/repeat.js'
import { TASK_STATUSES, type TaskFields, type TaskStatus } from '../../contracts/index.ts'
import type { KitError, LiveDoc, QueryStatus, SessionView } from '../../services/index.ts'
import { KitController } from '../controllers/kit-controller.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import { emit } from '../internal/emit.ts'
import { errorList, type ErrorAction } from '../internal/error-list.ts'
import { errorsFor } from '../internal/errors-for.ts'
import { notConfigured, signedOut } from '../internal/notices.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { taskBoardStyles } from './task-board.styles.ts'
import { orderAt } from './task-order.ts'

/** Detail of `rt-task-add`. */
export interface TaskAddDetail {
  /** Id of the new task. */
  id: string
  title: string
  status: TaskStatus
}

/** Detail of `rt-task-move`. */
export interface TaskMoveDetail {
  id: string
  /** Column it left. */
  from: TaskStatus
  /** Column it is now in. */
  status: TaskStatus
  order: number
}

/** Detail of `rt-task-rename`. */
export interface TaskRenameDetail {
  id: string
  title: string
}

/** Detail of `rt-task-remove`. */
export interface TaskRemoveDetail {
  id: string
}

declare global {
  interface HTMLElementEventMap {
    /** The user added a task. */
    'rt-task-add': CustomEvent<TaskAddDetail>
    /** The user moved a task (keyboard or drag and drop). */
    'rt-task-move': CustomEvent<TaskMoveDetail>
    /** The user renamed a task. */
    'rt-task-rename': CustomEvent<TaskRenameDetail>
    /** The user removed a task. */
    'rt-task-remove': CustomEvent<TaskRemoveDetail>
  }
}

type BoardTask = LiveDoc<TaskFields>
type Columns = Readonly<Record<TaskStatus, readonly BoardTask[]>>

const COLUMN_LABELS: Readonly<Record<TaskStatus, string>> = { todo: 'To do', doing: 'Doing', done: 'Done' }

/** Drag data type, so drops from other boards on the page are recognised too. */
const TASK_MIME = 'application/x-rtkit-task'

const KEY_HELP =
  'Enter renames. Up and Down arrows go to the previous or next task, Left and Right to the neighbouring column. ' +
  'Shift with an arrow key moves the task. Delete removes it.'

const EMPTY_COLUMNS: Columns = { todo: [], doing: [], done: [] }

function groupByStatus(tasks: readonly BoardTask[]): Columns {
  const columns: Record<TaskStatus, BoardTask[]> = { todo: [], doing: [], done: [] }
  for (const task of tasks) columns[task.status]?.push(task)
  return columns
}

/**
 * @summary A live task board with To do / Doing / Done columns: add, rename, move
 * (keyboard or drag and drop) and remove tasks; everyone's changes show at once.
 *
 * Changes apply immediately and are marked pending ("Saving…") until the
 * server confirms them. Rejected changes are undone and listed with a
 * Dismiss button; a conflicting rename can be re-applied on the newer version.
 * Columns longer than `virtualize-threshold` render only the visible cards.
 *
 * Keyboard, on a card: Enter or F2 renames; ↑/↓ go to the previous/next card,
 * ←/→ to the neighbouring column, Home/End to the first/last card;
 * Shift+arrows move the card; Delete removes it.
 *
 * @example
 * <rt-task-board board="launch"></rt-task-board>
 *
 * @event {CustomEvent<TaskAddDetail>} rt-task-add - A task was added.
 * @event {CustomEvent<TaskMoveDetail>} rt-task-move - A task was moved.
 * @event {CustomEvent<TaskRenameDetail>} rt-task-rename - A task was renamed.
 * @event {CustomEvent<TaskRemoveDetail>} rt-task-remove - A task was removed.
 *
 * @csspart board - The grid of columns.
 * @csspart column - One column; also `column-todo`, `column-doing`, `column-done`, and `column-drop-target` while a drag is over it.
 * @csspart column-header - The column title and count.
 * @csspart count - The number of tasks in the column.
 * @csspart list - The (possibly virtualized) list of cards.
 * @csspart card - One task; also `card-pending` while saving and `card-dragging` while dragged.
 * @csspart card-title - The task title (a button: Enter renames).
 * @csspart pending-badge - The "Saving…" label of a pending card.
 * @csspart card-action - The Rename and Remove buttons.
 * @csspart rename-input - The input while renaming.
 * @csspart add-form - The "add a task" form under each column.
 * @csspart add-input - Its input.
 * @csspart add-button - Its button.
 * @csspart errors - The list of problems (rejected changes, conflicts).
 * @csspart error - One problem.
 * @csspart error-action - "Apply again" on a conflict.
 * @csspart error-dismiss - The Dismiss button.
 * @csspart notice - "Not configured" / "Sign in" hints.
 *
 * @cssproperty --rt-board-column-height - Height of a column's scrolling list (default 28rem).
 * @cssproperty --rt-board-column-min-width - Narrowest a column gets before wrapping (default 14rem).
 * @cssproperty --rt-board-column-background - Column background.
 * @cssproperty --rt-board-card-background - Card background.
 * @cssproperty --rt-color-scheme - `light` (default), `dark`, or `auto` / `light dark` to follow the OS.
 * @cssproperty --rt-color-text - Text colour.
 * @cssproperty --rt-color-muted - Counts and hints.
 * @cssproperty --rt-color-surface - Card and input background.
 * @cssproperty --rt-color-surface-alt - Column background (unless overridden).
 * @cssproperty --rt-color-border - Borders.
 * @cssproperty --rt-color-accent - Focus ring, drop target and primary buttons.
 * @cssproperty --rt-color-warning - The "Saving…" label.
 * @cssproperty --rt-color-danger - Errors.
 * @cssproperty --rt-radius - Corner radius.
 * @cssproperty --rt-space - Base spacing.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtTaskBoard extends LitElement {
  static override styles = [themeStyles, taskBoardStyles]

  /** The board to show, e.g. `launch`. */
  @property({ reflect: true }) board = ''

  /** Columns with more tasks than this render only the cards in view. */
  @property({ type: Number, attribute: 'virtualize-threshold' }) virtualizeThreshold = 50

  @state() private editing: string | undefined = undefined
  @state() private dragging: string | undefined = undefined
  @state() private dropStatus: TaskStatus | undefined = undefined
  @state() private announcement = ''

  private readonly kit = new KitController(this)

  private readonly session = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.session$,
    initial: undefined as SessionView | undefined,
  })

  private readonly tasks = new ObservableController(this, {
    args: () => [this.kit.value, this.board, this.session.value?.status === 'signedIn'],
    source: (kit, board, signedIn) => (kit && board && signedIn ? kit.tasks$(board) : undefined),
    initial: [] as readonly BoardTask[],
  })

  private readonly queryStatus = new ObservableController(this, {
    args: () => [this.kit.value, this.board, this.session.value?.status === 'signedIn'],
    source: (kit, board, signedIn) =>
      kit && board && signedIn ? kit.collection<TaskFields>('tasks').where({ board }).status() : undefined,
    initial: undefined as QueryStatus | undefined,
  })

  private readonly errors = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.errors$,
    initial: [] as readonly KitError[],
  })

  private grouped: { source: readonly BoardTask[]; columns: Columns } = { source: [], columns: EMPTY_COLUMNS }

  /** The tasks shown, by column, in display order. */
  get columns(): Columns {
    const source = this.tasks.value
    if (this.grouped.source !== source) this.grouped = { source, columns: groupByStatus(source) }
    return this.grouped.columns
  }

  protected override render() {
    const kit = this.kit.value
    if (!kit) return notConfigured('rt-task-board')
    if (this.session.value?.status !== 'signedIn') return signedOut(this.board ? `the ${this.board} board` : 'the board')
    const columns = this.columns
    const errors = errorsFor(this.errors.value, 'tasks', 'board', this.board, this.tasks.value)
    return html`
      <p id="key-help" class="visually-hidden">${KEY_HELP}</p>
      <div class="board" part="board" aria-busy=${this.queryStatus.value === 'loading' ? 'true' : 'false'}>
        ${TASK_STATUSES.map((status) => this.renderColumn(status, columns[status]))}
      </div>
      ${errorList(
        errors,
        (error) => kit.dismissError(error.id),
        (error) => this.errorAction(error),
      )}
      <div class="visually-hidden" role="status">${this.announcement}</div>
    `
  }

  private renderColumn(status: TaskStatus, tasks: readonly BoardTask[]) {
    const label = COLUMN_LABELS[status]
    const virtual = tasks.length > this.virtualizeThreshold
    const dropTarget = this.dropStatus === status
    const renderCard = (task: BoardTask, index: number) => this.renderCard(task, index)
    return html`<div
      class="column ${dropTarget ? 'drop-target' : ''}"
      part="column column-${status}${dropTarget ? ' column-drop-target' : ''}"
      role="group"
      aria-labelledby="title-${status}"
      data-status=${status}
      @dragover=${(event: DragEvent) => this.onDragOver(event, status)}
      @dragleave=${(event: DragEvent) => this.onDragLeave(event, status)}
      @drop=${(event: DragEvent) => this.onDrop(event, status)}
    >
      <div class="column-header" part="column-header">
        <span id="title-${status}">${label}</span>
        <span class="count" part="count">${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'}</span>
      </div>
      ${tasks.length === 0 ? html`<p class="empty">No tasks</p>` : nothing}
      ${keyed(
        virtual ? 'virtual' : 'plain',
        html`<div class="list ${virtual ? 'virtual' : ''}" part="list" role="list" aria-labelledby="title-${status}" data-status=${status}>
          ${
            virtual
              ? virtualize({ items: tasks as BoardTask[], renderItem: renderCard, keyFunction: (task) => task.id, scroller: true })
              : repeat(tasks, (task) => task.id, renderCard)
          }
        </div>`,
      )}
      <form class="add" part="add-form" @submit=${(event: SubmitEvent) => this.add(event, status)}>
        <label class="visually-hidden" for="add-${status}">New task in ${label}</label>
        <input id="add-${status}" part="add-input" maxlength="200" autocomplete="off" placeholder="Add a task…" />
        <button type="submit" part="add-button" aria-label="Add task to ${label}">Add</button>
      </form>
    </div>`
  }

  private renderCard(task: BoardTask, index: number) {
    const editing = this.editing === task.id
    const dragging = this.dragging === task.id
    const parts = ['card', task.pending ? 'card-pending' : '', dragging ? 'card-dragging' : ''].filter(Boolean).join(' ')
    return html`<div
      class="card ${task.pending ? 'pending' : ''} ${dragging ? 'dragging' : ''}"
      part=${parts}
      role="listitem"
      data-id=${task.id}
      data-index=${index}
      aria-busy=${task.pending ? 'true' : 'false'}
      draggable=${editing ? 'false' : 'true'}
      @dragstart=${(event: DragEvent) => this.onDragStart(event, task)}
      @dragend=${this.onDragEnd}
    >
      ${
        editing
          ? html`<input
              class="rename"
              part="rename-input"
              aria-label="Rename task: ${task.title}"
              maxlength="200"
              .value=${task.title}
              @keydown=${(event: KeyboardEvent) => this.onRenameKeydown(event, task)}
              @blur=${(event: FocusEvent) => this.commitRename(task, (event.target as HTMLInputElement).value, false)}
            />`
          : html`<button
              type="button"
              class="title"
              part="card-title"
              aria-describedby="key-help"
              aria-keyshortcuts="Enter F2 ArrowUp ArrowDown ArrowLeft ArrowRight Shift+ArrowUp Shift+ArrowDown Shift+ArrowLeft Shift+ArrowRight Delete"
              @click=${() => this.startRename(task.id)}
              @keydown=${(event: KeyboardEvent) => this.onCardKeydown(event, task)}
            >
              ${task.title}
            </button>`
      }
      ${task.pending ? html`<span class="badge" part="pending-badge">Saving…</span>` : nothing}
      ${
        editing
          ? nothing
          : html`<button
              type="button"
              class="icon"
              part="card-action"
              aria-label="Remove task: ${task.title}"
              title="Remove"
              @click=${() => this.removeTask(task)}
            >
              ✕
            </button>`
      }
    </div>`
  }

  private errorAction(error: KitError): ErrorAction | undefined {
    const command = error.command
    const kit = this.kit.value
    if (!kit || error.code !== 'conflict' || command?.op !== 'update' || !error.current) return undefined
    return {
      label: 'Apply again',
      run: () => {
        kit.update('tasks', command.docId, command.patch, { expectedVersion: error.current!.version })
        kit.dismissError(error.id)
      },
    }
  }

  // ---- commands ----------------------------------------------------------

  private add(event: SubmitEvent, status: TaskStatus): void {
    event.preventDefault()
    const kit = this.kit.value
    const input = (event.currentTarget as HTMLFormElement).querySelector('input')
    if (!kit || !input || !this.board) return
    const title = input.value.trim()
    if (title === '') return
    const { docId } = kit.addTask({ board: this.board, title, status })
    input.value = ''
    this.announce(`Added “${title}” to ${COLUMN_LABELS[status]}.`)
    emit(this, 'rt-task-add', { id: docId, title, status })
  }

  /**
   * Moves `task` to position `index` of column `status`, counted without the
   * task itself. Also used for drops from another board on the page.
   */
  private moveTask(task: { id: string; title: string; status: TaskStatus; board: string }, status: TaskStatus, index: number): void {
    const kit = this.kit.value
    if (!kit) return
    const destination = this.columns[status].filter((other) => other.id !== task.id)
    const at = Math.max(0, Math.min(index, destination.length))
    const currentIndex = this.columns[task.status]?.findIndex((other) => other.id === task.id) ?? -1
    if (task.board === this.board && task.status === status && currentIndex === at) return
    const order = orderAt(destination, at)
    kit.moveTask(task.id, task.board === this.board ? { status, order } : { status, order, board: this.board })
    this.announce(`Moved “${task.title}” to ${COLUMN_LABELS[status]}, position ${at + 1} of ${destination.length + 1}.`)
    emit(this, 'rt-task-move', { id: task.id, from: task.status, status, order })
  }

  private removeTask(task: BoardTask): void {
    const kit = this.kit.value
    if (!kit) return
    const column = this.columns[task.status]
    const index = column.findIndex((other) => other.id === task.id)
    kit.removeTask(task.id)
    this.announce(`Removed “${task.title}”.`)
    emit(this, 'rt-task-remove', { id: task.id })
    void this.focusAt(task.status, Math.max(0, Math.min(index, column.length - 2)))
  }

  private async startRename(id: string): Promise<void> {
    this.editing = id
    await this.updateComplete
    const input = this.renderRoot.querySelector<HTMLInputElement>('.rename')
    input?.focus()
    input?.select()
  }

  private onRenameKeydown(event: KeyboardEvent, task: BoardTask): void {
    if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault()
      this.commitRename(task, (event.target as HTMLInputElement).value, true)
    } else if (event.key === 'Escape') {
      event.preventDefault()
      this.editing = undefined
      void this.focusTask(task.id)
    }
  }

  private commitRename(task: BoardTask, value: string, refocus: boolean): void {
    // The input's blur also fires when Enter/Escape removed it; only the first counts.
    if (this.editing !== task.id) return
    this.editing = undefined
    const kit = this.kit.value
    const title = value.trim()
    if (kit && title !== '' && title !== task.title) {
      kit.renameTask(task.id, title)
      this.announce(`Renamed to “${title}”.`)
      emit(this, 'rt-task-rename', { id: task.id, title })
    }
    if (refocus) void this.focusTask(task.id)
  }

  // ---- keyboard ----------------------------------------------------------

  private onCardKeydown(event: KeyboardEvent, task: BoardTask): void {
    const column = this.columns[task.status]
    const index = column.findIndex((other) => other.id === task.id)
    const statusIndex = TASK_STATUSES.indexOf(task.status)
    const neighbour = (step: number) => TASK_STATUSES[statusIndex + step]
    let handled = true
    if (event.key === 'F2') void this.startRename(task.id)
    else if (event.key === 'Delete' || event.key === 'Backspace') this.removeTask(task)
    else if (event.shiftKey && event.key === 'ArrowUp') this.moveAndFocus(task, task.status, index - 1)
    else if (event.shiftKey && event.key === 'ArrowDown') this.moveAndFocus(task, task.status, index + 1)
    else if (event.shiftKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      const to = neighbour(event.key === 'ArrowLeft' ? -1 : 1)
      if (to) this.moveAndFocus(task, to, index)
    } else if (event.key === 'ArrowUp') void this.focusAt(task.status, index - 1)
    else if (event.key === 'ArrowDown') void this.focusAt(task.status, index + 1)
    else if (event.key === 'Home') void this.focusAt(task.status, 0)
    else if (event.key === 'End') void this.focusAt(task.status, column.length - 1)
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const to = neighbour(event.key === 'ArrowLeft' ? -1 : 1)
      if (to) void this.focusAt(to, Math.min(index, this.columns[to].length - 1))
    } else handled = false
    if (handled) event.preventDefault()
  }

  private moveAndFocus(task: BoardTask, status: TaskStatus, index: number): void {
    if (index < 0) return
    this.moveTask(task, status, index)
    void this.focusTask(task.id)
  }

  /** Focuses the card at `index` of a column (the add input if the column is empty). */
  private async focusAt(status: TaskStatus, index: number): Promise<void> {
    await this.updateComplete
    const column = this.columns[status]
    const task = column[Math.max(0, Math.min(index, column.length - 1))]
    if (task) await this.focusTask(task.id)
    else this.renderRoot.querySelector<HTMLInputElement>(`#add-${status}`)?.focus()
  }

  /** Focuses a card's title, scrolling a virtualized column to it first. */
  private async focusTask(id: string): Promise<void> {
    await this.updateComplete
    const selector = `[data-id="${CSS.escape(id)}"] .title`
    let title = this.renderRoot.querySelector<HTMLElement>(selector)
    if (!title) {
      const task = this.tasks.value.find((candidate) => candidate.id === id)
      if (!task) return
      const list = this.renderRoot.querySelector<VirtualizerHostElement>(`.list[data-status="${task.status}"]`)
      const index = this.columns[task.status].indexOf(task)
      list?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' })
      // The virtualizer renders the newly visible range within a few frames; give up after a handful.
      for (let frame = 0; frame < 10 && !title; frame += 1) {
        await new Promise((resolve) => requestAnimationFrame(resolve))
        title = this.renderRoot.querySelector<HTMLElement>(selector)
      }
    }
    title?.focus()
  }

  private announce(text: string): void {
    this.announcement = text
  }

  // ---- drag and drop -----------------------------------------------------

  private onDragStart(event: DragEvent, task: BoardTask): void {
    if (!event.dataTransfer) return
    event.dataTransfer.setData(TASK_MIME, JSON.stringify({ id: task.id, title: task.title, status: task.status, board: task.board }))
    event.dataTransfer.setData('text/plain', task.title)
    event.dataTransfer.effectAllowed = 'move'
    this.dragging = task.id
  }

  private onDragEnd(): void {
    this.dragging = undefined
    this.dropStatus = undefined
  }

  private onDragOver(event: DragEvent, status: TaskStatus): void {
    if (!event.dataTransfer?.types.includes(TASK_MIME)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
    this.dropStatus = status
  }

  private onDragLeave(event: DragEvent, status: TaskStatus): void {
    const column = event.currentTarget as HTMLElement
    if (event.relatedTarget instanceof Node && column.contains(event.relatedTarget)) return
    if (this.dropStatus === status) this.dropStatus = undefined
  }

  private onDrop(event: DragEvent, status: TaskStatus): void {
    const raw = event.dataTransfer?.getData(TASK_MIME)
    this.dropStatus = undefined
    this.dragging = undefined
    if (!raw) return
    event.preventDefault()
    let dropped: { id: string; title: string; status: TaskStatus; board: string }
    try {
      dropped = JSON.parse(raw) as typeof dropped
    } catch {
      return
    }
    if (typeof dropped?.id !== 'string' || !TASK_STATUSES.includes(dropped.status)) return
    const mine = this.tasks.value.find((task) => task.id === dropped.id)
    this.moveTask(mine ?? dropped, status, this.dropIndex(event, status, dropped.id))
  }

  /** Where in the column (counted without the dragged task) the pointer is. */
  private dropIndex(event: DragEvent, status: TaskStatus, draggedId: string): number {
    const column = this.columns[status]
    const cards = [...this.renderRoot.querySelectorAll<HTMLElement>(`.list[data-status="${status}"] > .card`)]
      .filter((card) => card.dataset.id !== draggedId)
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
    const withoutDragged = column.filter((task) => task.id !== draggedId)
    for (const card of cards) {
      const box = card.getBoundingClientRect()
      if (event.clientY < box.top + box.height / 2) {
        return withoutDragged.findIndex((task) => task.id === card.dataset.id)
      }
    }
    const last = cards.at(-1)
    return last ? withoutDragged.findIndex((task) => task.id === last.dataset.id) + 1 : withoutDragged.length
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    // A task being renamed that disappeared (removed elsewhere) ends the edit.
    if (this.editing && !this.tasks.value.some((task) => task.id === this.editing)) this.editing = undefined
  }
}
