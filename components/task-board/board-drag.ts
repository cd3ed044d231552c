import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { TASK_STATUSES, type TaskStatus } from '../../contracts/index.ts'
import type { BoardTask, Columns } from './board-columns.ts'

/** Drag data type, so drops from other boards on the page are recognised too. */
const TASK_MIME = 'application/x-rtkit-task'

/** What a dragged task carries: enough to move it from another board. */
export interface DraggedTask {
  id: string
  title: string
  status: TaskStatus
  board: string
}

/** What dragging does; the board issues the command. */
export interface BoardDragOptions {
  columns: () => Columns
  /** The board's own copy of a task, if it has one. */
  find: (id: string) => BoardTask | undefined
  /** Moves a task to `index` of column `status`, counted without the task itself. */
  move: (task: DraggedTask, status: TaskStatus, index: number) => void
}

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment }

/**
 * HTML5 drag and drop of cards between columns and boards: keeps which card
 * is dragged and which column is the drop target (for their styles), and
 * turns a drop into a move at the pointer's position. Touch screens have no
 * HTML5 drag; there the "Move to…" action does the same.
 */
export class BoardDrag implements ReactiveController {
  /** Id of the card being dragged. */
  dragging: string | undefined = undefined
  /** The column a drag is over. */
  dropStatus: TaskStatus | undefined = undefined

  private readonly host: Host
  private readonly options: BoardDragOptions

  constructor(host: Host, options: BoardDragOptions) {
    this.host = host
    this.options = options
    host.addController(this)
  }

  hostConnected(): void {}

  start(event: DragEvent, task: BoardTask): void {
    if (!event.dataTransfer) return
    const dragged: DraggedTask = { id: task.id, title: task.title, status: task.status, board: task.board }
    event.dataTransfer.setData(TASK_MIME, JSON.stringify(dragged))
    event.dataTransfer.setData('text/plain', task.title)
    event.dataTransfer.effectAllowed = 'move'
    this.set(task.id, this.dropStatus)
  }

  end(): void {
    this.set(undefined, undefined)
  }

  over(event: DragEvent, status: TaskStatus): void {
    if (!event.dataTransfer?.types.includes(TASK_MIME)) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
    this.set(this.dragging, status)
  }

  leave(event: DragEvent, status: TaskStatus): void {
    const column = event.currentTarget as HTMLElement
    if (event.relatedTarget instanceof Node && column.contains(event.relatedTarget)) return
    if (this.dropStatus === status) this.set(this.dragging, undefined)
  }

  drop(event: DragEvent, status: TaskStatus): void {
    const raw = event.dataTransfer?.getData(TASK_MIME)
    this.set(undefined, undefined)
    if (!raw) return
    event.preventDefault()
    let dropped: DraggedTask
    try {
      dropped = JSON.parse(raw) as DraggedTask
    } catch {
      return
    }
    if (typeof dropped?.id !== 'string' || !TASK_STATUSES.includes(dropped.status)) return
    this.options.move(this.options.find(dropped.id) ?? dropped, status, this.dropIndex(event, status, dropped.id))
  }

  private set(dragging: string | undefined, dropStatus: TaskStatus | undefined): void {
    if (dragging === this.dragging && dropStatus === this.dropStatus) return
    this.dragging = dragging
    this.dropStatus = dropStatus
    this.host.requestUpdate()
  }

  /** Where in the column (counted without the dragged task) the pointer is. */
  private dropIndex(event: DragEvent, status: TaskStatus, draggedId: string): number {
    const withoutDragged = this.options.columns()[status].filter((task) => task.id !== draggedId)
    const cards = [...this.host.renderRoot.querySelectorAll<HTMLElement>(`.list[data-status="${status}"] > .card`)]
      .filter((card) => card.dataset.id !== draggedId)
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
    for (const card of cards) {
      const box = card.getBoundingClientRect()
      if (event.clientY < box.top + box.height / 2) return withoutDragged.findIndex((task) => task.id === card.dataset.id)
    }
    const last = cards.at(-1)
    return last ? withoutDragged.findIndex((task) => task.id === last.dataset.id) + 1 : withoutDragged.length
  }
}
