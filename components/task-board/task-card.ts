import { html, nothing, type TemplateResult } from 'lit'
import type { LocalizeController } from '../i18n/localize.ts'
import type { BoardDrag } from './board-drag.ts'
import type { BoardKeyboard } from './board-keyboard.ts'
import type { BoardTask } from './board-columns.ts'
import { Cell } from './cell.ts'
import type { MoveMenu } from './move-menu.ts'

/** What a card needs from its board. */
export interface CardContext {
  /** Id of the task being renamed, if any. */
  readonly editing: string | undefined
  readonly keyboard: BoardKeyboard
  readonly drag: BoardDrag
  readonly menu: MoveMenu
  /** The board's strings in the page's language. */
  readonly localize: LocalizeController
  rename(task: BoardTask): void
  remove(task: BoardTask): void
  /** Enter commits, Escape cancels. */
  renameKeydown(event: KeyboardEvent, task: BoardTask): void
  /** Leaving the field commits. */
  renameBlur(event: FocusEvent, task: BoardTask): void
}

/**
 * One task as a row of its column's grid: the title (a button that renames;
 * a text field while renaming), the "Move to…" button and the Remove button,
 * each a grid cell. `data-cell` tells the keyboard which cell has focus, and
 * the list's {@link cardListeners} which button was clicked.
 */
export function taskCard(task: BoardTask, index: number, context: CardContext): TemplateResult {
  const { keyboard, drag, menu, localize: t } = context
  const editing = context.editing === task.id
  const dragging = drag.dragging === task.id
  const parts = `card${task.pending ? ' card-pending' : ''}${dragging ? ' card-dragging' : ''}`
  const moveTo = t.term('moveTo')
  return html`<div
    class="card ${task.pending ? 'pending' : ''} ${dragging ? 'dragging' : ''}"
    part=${parts}
    role="row"
    aria-rowindex=${index + 1}
    data-id=${task.id}
    data-index=${index}
    aria-busy=${task.pending ? 'true' : 'false'}
    draggable=${editing ? 'false' : 'true'}
  >
    <div class="title-cell" role="gridcell">
      ${
        editing
          ? html`<input
              class="rename"
              part="rename-input"
              aria-label=${t.term('renameTask', task.title)}
              maxlength="200"
              .value=${task.title}
              @keydown=${(event: KeyboardEvent) => context.renameKeydown(event, task)}
              @blur=${(event: FocusEvent) => context.renameBlur(event, task)}
            />`
          : html`<button
              type="button"
              class="title"
              part="card-title"
              data-cell=${Cell.title}
              tabindex=${keyboard.tabIndex(task, Cell.title)}
              aria-describedby="key-help"
              aria-keyshortcuts="F2 Delete Shift+ArrowUp Shift+ArrowDown Shift+ArrowLeft Shift+ArrowRight"
            >
              ${task.title}
            </button>`
      }
      ${task.pending ? html`<span class="badge" part="pending-badge">${t.term('saving')}</span>` : nothing}
    </div>
    <div role="gridcell">
      <button
        type="button"
        class="action move ${menu.isOpenFor(task.id) ? 'move-anchor' : ''}"
        part="card-action card-move"
        data-cell=${Cell.move}
        tabindex=${keyboard.tabIndex(task, Cell.move)}
        aria-haspopup="menu"
        aria-controls="move-menu"
        aria-expanded=${menu.isOpenFor(task.id) ? 'true' : 'false'}
        aria-label=${`${moveTo} (${task.title})`}
      >
        ${moveTo}
      </button>
    </div>
    <div role="gridcell">
      <button
        type="button"
        class="action remove"
        part="card-action card-remove"
        data-cell=${Cell.remove}
        tabindex=${keyboard.tabIndex(task, Cell.remove)}
        aria-label=${t.term('removeTask', task.title)}
        title=${t.term('remove')}
      >
        ✕
      </button>
    </div>
  </div>`
}

/** The click and drag listeners of a column's list, given to {@link cardListeners}. */
export interface CardListeners {
  click(event: MouseEvent): void
  dragstart(event: DragEvent): void
  dragend(): void
}

/**
 * The listeners of a column's list that act for its cards: a click on a
 * card's title renames it, on "Move to…" opens the menu, on Remove removes
 * it; a card dragged starts a drag. One set per list instead of five
 * listeners on every card, which were a good part of what rendering a card
 * cost. The card comes from the event's target: its row's `data-index` (and
 * `data-id`, in case the list changed since the card was drawn) and the
 * button's `data-cell`.
 */
export function cardListeners(tasks: readonly BoardTask[], context: CardContext): CardListeners {
  const taskAt = (target: EventTarget | null): BoardTask | undefined => {
    const row = target instanceof Element ? target.closest<HTMLElement>('[role="row"]') : null
    const id = row?.dataset.id
    if (id === undefined) return undefined
    const drawn = tasks[Number(row!.dataset.index)]
    return drawn?.id === id ? drawn : tasks.find((task) => task.id === id)
  }
  return {
    click(event) {
      const button = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-cell]') : null
      const task = button ? taskAt(button) : undefined
      if (!button || !task) return
      const cell = Number(button.dataset.cell) as Cell
      if (cell === Cell.title) context.rename(task)
      else if (cell === Cell.move) void context.menu.open(task)
      else if (cell === Cell.remove) context.remove(task)
    },
    dragstart(event) {
      const task = taskAt(event.target)
      if (task) context.drag.start(event, task)
    },
    dragend: () => context.drag.end(),
  }
}
