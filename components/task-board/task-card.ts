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
 * each a grid cell. `data-cell` tells the keyboard which cell has focus.
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
    @dragstart=${(event: DragEvent) => drag.start(event, task)}
    @dragend=${() => drag.end()}
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
              @click=${() => context.rename(task)}
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
        @click=${() => void menu.open(task)}
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
        @click=${() => context.remove(task)}
      >
        ✕
      </button>
    </div>
  </div>`
}
