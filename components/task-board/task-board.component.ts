import { html, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { map } from 'rxjs'
import { tasksCollection, type TaskStatus } from '../../contracts/index.ts'
import { QueryStatus, tasksOf, type Kit } from '../../services/index.ts'
import { KitElement } from '../base/kit-element.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import { emit } from '../internal/emit.ts'
import { errorList } from '../internal/error-list.ts'
import { errorsFor } from '../internal/errors-for.ts'
import { noAccess, signedOut } from '../internal/notices.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { lazyModule } from '../internal/lazy-module.ts'
import { EMPTY_COLUMNS, groupByStatus, keepUnchanged, type BoardTask, type Columns } from './board-columns.ts'
import type { BoardParts } from './board-parts.ts'
import { Cell } from './cell.ts'
import { taskBoardStyles } from './task-board.styles.ts'
import type { ColumnContext } from './task-column.ts'
import type { TaskChangeDetail } from './task-events.ts'
import { loadVirtualizer, virtualizer } from './virtualizer.ts'

export type {
  RtTaskBoardEventMap,
  TaskAddDetail,
  TaskChangeDetail,
  TaskMoveDetail,
  TaskRemoveDetail,
  TaskRenameDetail,
} from './task-events.ts'

/** Commands, keyboard, drag, menu and templates: loaded on the first signed-in render (see `board-parts.ts`). */
const boardParts = lazyModule(() => import('./board-parts.ts'))

/**
 * @summary A live task board with To do / Doing / Done columns: add, rename, move
 * and remove tasks; everyone's changes show at once and are reported as events.
 *
 * Changes apply immediately and are marked pending ("Saving…") until the
 * server confirms them (`rt-command-confirm`). Rejected changes are undone
 * (`rt-command-reject`) and listed with a Dismiss button; a conflicting rename
 * can be re-applied on the newer version. Columns longer than
 * `virtualize-threshold` render only the visible cards.
 *
 * Each column's cards are a grid with one Tab stop: ↑/↓ go between cards,
 * ←/→ between a card's title, "Move to…" and Remove buttons, Ctrl+Home/End
 * to the first/last card; Enter or F2 renames; Shift+arrows move the card;
 * Delete removes it. "Move to…" lists the other columns, for touch screens
 * and screen readers; with a mouse, cards can also be dragged.
 *
 * @example
 * <rt-task-board board="launch"></rt-task-board>
 *
 * @event {CustomEvent<TaskAddDetail>} rt-task-add - The user added a task.
 * @event {CustomEvent<TaskMoveDetail>} rt-task-move - The user moved a task.
 * @event {CustomEvent<TaskRenameDetail>} rt-task-rename - The user renamed a task.
 * @event {CustomEvent<TaskRemoveDetail>} rt-task-remove - The user removed a task.
 * @event {CustomEvent<TaskChangeDetail>} rt-task-change - A task changed on the server, by this user (`origin: 'local'`) or anyone else (`'remote'`).
 * @event {CustomEvent<CommandConfirmDetail>} rt-command-confirm - The server confirmed one of the user's changes.
 * @event {CustomEvent<CommandRejectDetail>} rt-command-reject - One of the user's changes was refused and rolled back.
 *
 * @csspart board - The grid of columns.
 * @csspart column - One column; also `column-todo`, `column-doing`, `column-done`, and `column-drop-target` while a drag is over it.
 * @csspart column-header - The column title and count.
 * @csspart count - The number of tasks in the column.
 * @csspart list - The (possibly virtualized) grid of cards.
 * @csspart card - One task; also `card-pending` while saving and `card-dragging` while dragged.
 * @csspart card-title - The task title (a button: Enter renames).
 * @csspart pending-badge - The "Saving…" label of a pending card.
 * @csspart card-action - The "Move to…" and Remove buttons; also `card-move` and `card-remove`.
 * @csspart move-menu - The "Move to…" menu.
 * @csspart move-option - One column in it.
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
 * @cssproperty --rt-color-surface - Card, menu and input background.
 * @cssproperty --rt-color-surface-alt - Column background (unless overridden).
 * @cssproperty --rt-color-border - Borders.
 * @cssproperty --rt-color-accent - Focus ring, drop target and primary buttons.
 * @cssproperty --rt-color-warning - The "Saving…" label.
 * @cssproperty --rt-color-danger - Errors.
 * @cssproperty --rt-radius - Corner radius.
 * @cssproperty --rt-space - Base spacing.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtTaskBoard extends KitElement {
  static override styles = [themeStyles, taskBoardStyles]

  /** The board to show, e.g. `launch`. */
  @property({ reflect: true }) board = ''

  /** Columns with more tasks than this render only the cards in view. */
  @property({ type: Number, attribute: 'virtualize-threshold' }) virtualizeThreshold = 50

  @state() private editing: string | undefined = undefined

  private readonly tasks = new ObservableController(this, {
    args: () => [this.kit.value, this.board, this.user?.id],
    source: (kit, board, userId) => (kit && board && userId ? tasksOf(kit).tasks$(board) : undefined),
    initial: [] as readonly BoardTask[],
  })

  private readonly queryStatus = new ObservableController(this, {
    args: () => [this.kit.value, this.board, this.user?.id],
    source: (kit, board, userId) => (kit && board && userId ? this.query(kit, board).status() : undefined),
    initial: undefined as QueryStatus | undefined,
  })

  /** Every change to the board's tasks, as `rt-task-change`. */
  protected readonly changes = new ObservableController(this, {
    args: () => [this.kit.value, this.board, this.user?.id],
    source: (kit, board, userId) =>
      kit && board && userId
        ? this.query(kit, board)
            .changes()
            .pipe(map((change) => ({ ...change, board })))
        : undefined,
    initial: undefined as TaskChangeDetail | undefined,
    next: (change) => change && emit(this, 'rt-task-change', change),
  })

  private parts: BoardParts | undefined = undefined

  private grouped: { source: readonly BoardTask[]; columns: Columns } = { source: [], columns: EMPTY_COLUMNS }

  /** The tasks shown, by column, in display order. */
  get columns(): Columns {
    const source = this.tasks.value
    if (this.grouped.source !== source) this.grouped = { source, columns: keepUnchanged(this.grouped.columns, groupByStatus(source)) }
    return this.grouped.columns
  }

  protected override renderWith(kit: Kit) {
    const t = this.localize
    if (!this.user) return signedOut(this.board ? t.term('theBoardNamed', this.board) : t.term('theBoard'), t)
    // Signed in: long columns may come, so the virtualizer loads now (once per page; retried on failure), not when they do.
    if (!virtualizer()) this.loadThenUpdate(loadVirtualizer)
    if (this.queryStatus.value === QueryStatus.forbidden) return noAccess(t.term('theBoardNamed', this.board), t)
    const parts = this.parts
    if (!parts) {
      // Created in willUpdate once loaded; until then an empty, busy board.
      this.loadThenUpdate(() => boardParts.load())
      return html`<div class="board" part="board" aria-busy="true"></div>`
    }
    const errors = errorsFor(this.kitErrors.value, tasksCollection.name, tasksCollection.partitionKey, this.board, this.tasks.value)
    const context = this.columnContext(parts)
    return html`
      <p id="key-help" class="visually-hidden">${t.term('keyHelp')}</p>
      <div class="board" part="board" aria-busy=${this.queryStatus.value === 'loading' ? 'true' : 'false'}>
        ${parts.boardColumns(this.columns, context)}
      </div>
      ${errorList(
        t,
        errors,
        (error) => kit.dismissError(error.id),
        (error) => parts.commands.errorAction(error),
      )}
      ${parts.menu.render()}
      <div class="visually-hidden" role="status">${parts.commands.announcement}</div>
    `
  }

  /** Starts loading a module and renders again once it is there; a failed load is tried again by the next render. */
  private loadThenUpdate(load: () => Promise<unknown>): void {
    load().then(
      () => this.requestUpdate(),
      () => undefined,
    )
  }

  private columnContext({ keyboard, drag, menu }: BoardParts): ColumnContext {
    return {
      virtualizeThreshold: this.virtualizeThreshold,
      editing: this.editing,
      keyboard,
      drag,
      menu,
      localize: this.localize,
      add: (event, status) => this.add(event, status),
      rename: (task) => void this.startRename(task),
      remove: (task) => this.removeTask(task),
      renameKeydown: (event, task) => this.onRenameKeydown(event, task),
      renameBlur: (event, task) => this.commitRename(task, (event.target as HTMLInputElement).value, false),
    }
  }

  private query(kit: Kit, board: string) {
    return kit.collection(tasksCollection).where({ board })
  }

  private add(event: SubmitEvent, status: TaskStatus): void {
    event.preventDefault()
    const input = (event.currentTarget as HTMLFormElement).querySelector('input')
    if (input && this.parts?.commands.add(input.value.trim(), status)) input.value = ''
  }

  private removeTask(task: BoardTask): void {
    const index = this.columns[task.status].findIndex((other) => other.id === task.id)
    const focused = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | null
    this.parts?.commands.remove(task)
    // Focus stays where it was: on the same cell of the card that takes this one's place (or the add field).
    void this.parts?.keyboard.focusAt(task.status, index, Number(focused?.dataset.cell ?? Cell.title) as Cell)
  }

  private async startRename(task: BoardTask): Promise<void> {
    this.editing = task.id
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
      void this.parts?.keyboard.focus(task.id, Cell.title)
    }
  }

  private commitRename(task: BoardTask, value: string, refocus: boolean): void {
    // The input's blur also fires when Enter/Escape removed it; only the first counts.
    if (this.editing !== task.id) return
    this.editing = undefined
    this.parts?.commands.rename(task, value.trim())
    if (refocus) void this.parts?.keyboard.focus(task.id, Cell.title)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    // The parts join here, before this update's hostUpdate, so their state
    // (the keyboard's Tab stops) is current for the render that first shows them.
    const module = boardParts.value
    if (!this.parts && module && this.user)
      this.parts = module.createBoardParts(this, {
        kit: () => this.kit.value,
        find: (id) => this.tasks.value.find((task) => task.id === id),
        remove: (task) => this.removeTask(task),
        rename: (task) => void this.startRename(task),
        localize: this.localize,
      })
    // A task being renamed that disappeared (removed elsewhere) ends the edit.
    if (this.editing && !this.tasks.value.some((task) => task.id === this.editing)) this.editing = undefined
  }
}
