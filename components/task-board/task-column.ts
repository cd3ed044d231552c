import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js'
import { html, nothing, type TemplateResult } from 'lit'
import { guard } from 'lit/directives/guard.js'
import { keyed } from 'lit/directives/keyed.js'
import { repeat } from 'lit/directives/repeat.js'
import { TASK_STATUSES, type TaskStatus } from '../../contracts/index.ts'
import { COLUMN_LABELS, type BoardTask, type Columns } from './board-columns.ts'
import { cardListeners, taskCard, type CardContext } from './task-card.ts'
import { virtualizer } from './virtualizer.ts'

/** What a column needs from its board, besides what its cards need. */
export interface ColumnContext extends CardContext {
  /** Columns with more tasks than this render only the cards in view. */
  readonly virtualizeThreshold: number
  add(event: SubmitEvent, status: TaskStatus): void
}

/**
 * One column: its title and count, its cards as a grid (virtualized when
 * long; none when empty, as a grid needs rows), and the form that adds a task
 * to it. The column is where dragged cards drop.
 */
export function taskColumn(status: TaskStatus, tasks: readonly BoardTask[], context: ColumnContext): TemplateResult {
  const { drag, keyboard, localize: t } = context
  const label = t.term(COLUMN_LABELS[status])
  const long = tasks.length > context.virtualizeThreshold
  const loaded = long ? virtualizer() : undefined
  const virtualize = loaded?.virtualize
  // A long column renders virtualized; for the moment before the virtualizer has loaded, its first cards only.
  const virtual = virtualize !== undefined
  const shown = long && !virtual ? tasks.slice(0, context.virtualizeThreshold) : tasks
  const dropTarget = drag.dropStatus === status
  const renderCard = (task: BoardTask, index: number) => taskCard(task, index, context)
  const cards = cardListeners(tasks, context)
  const list = html`<div
    class="list ${virtual ? 'virtual' : ''}"
    part="list"
    role="grid"
    aria-labelledby="title-${status}"
    aria-rowcount=${tasks.length}
    data-status=${status}
    tabindex=${keyboard.listIsTabStop(status, virtual) ? 0 : nothing}
    @keydown=${keyboard.onKeydown}
    @focusin=${keyboard.onFocusIn}
    @rangeChanged=${(event: RangeChangedEvent) => keyboard.onRange(status, event)}
    @click=${cards.click}
    @dragstart=${cards.dragstart}
    @dragend=${cards.dragend}
  >
    ${
      virtualize
        ? virtualize({
            items: tasks as BoardTask[],
            renderItem: renderCard,
            keyFunction: (task) => task.id,
            scroller: true,
            layout: { type: loaded!.ColumnLayout },
          })
        : repeat(shown, (task) => task.id, renderCard)
    }
  </div>`
  return html`<div
    class="column ${dropTarget ? 'drop-target' : ''}"
    part="column column-${status}${dropTarget ? ' column-drop-target' : ''}"
    role="group"
    aria-labelledby="title-${status}"
    data-status=${status}
    @dragover=${(event: DragEvent) => drag.over(event, status)}
    @dragleave=${(event: DragEvent) => drag.leave(event, status)}
    @drop=${(event: DragEvent) => drag.drop(event, status)}
  >
    <div class="column-header" part="column-header">
      <span id="title-${status}">${label}</span>
      <span class="count" part="count">${t.term('taskCount', tasks.length)}</span>
    </div>
    ${tasks.length === 0 ? html`<p class="empty">${t.term('noTasks')}</p>` : keyed(virtual ? 'virtual' : 'plain', list)}
    <form class="add" part="add-form" @submit=${(event: SubmitEvent) => context.add(event, status)}>
      <label class="visually-hidden" for="add-${status}">${t.term('newTaskIn', label)}</label>
      <input id="add-${status}" part="add-input" maxlength="200" autocomplete="off" placeholder=${t.term('addTaskPlaceholder')} />
      <button type="submit" part="add-button" aria-label=${t.term('addTaskTo', label)}>${t.term('add')}</button>
    </form>
  </div>`
}

/**
 * The board's columns. A column renders again only when something it shows
 * changed: its tasks, the task being renamed or dragged, the drop target, its
 * keyboard state, the open menu, the threshold or the virtualizer's arrival.
 * So one remote change re-renders one column's visible cards, not every
 * column's, and the other columns' virtualizers are left alone.
 */
export function boardColumns(columns: Columns, context: ColumnContext): unknown[] {
  const { drag, keyboard, menu } = context
  return TASK_STATUSES.map((status) =>
    guard(
      [
        columns[status],
        context.editing,
        drag.dragging,
        drag.dropStatus,
        keyboard.stateOf(status),
        menu.openFor,
        context.virtualizeThreshold,
        virtualizer(),
        // A new nearest lang (or a catalogue that just loaded) re-renders every column.
        context.localize.lang(),
        context.localize.term('todo'),
      ],
      () => taskColumn(status, columns[status], context),
    ),
  )
}
