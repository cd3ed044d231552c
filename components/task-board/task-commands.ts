import type { ReactiveControllerHost } from 'lit'
import type { TaskStatus } from '../../contracts/index.ts'
import { tasksOf } from '../../services/index.ts'
import type { PartitionDetail } from '../internal/command-events.ts'
import { emit } from '../internal/emit.ts'
import { TagCommands } from '../internal/tag-commands.ts'
import { COLUMN_LABELS, type BoardTask, type Columns } from './board-columns.ts'
import type { DraggedTask } from './board-drag.ts'
import { orderAt } from './task-order.ts'

type Host = ReactiveControllerHost & HTMLElement & { readonly board: string; readonly columns: Columns }

/**
 * The board's commands. Each one issues the facade's command, says what it
 * did in the live region (`announcement`), dispatches its user-action event
 * (`rt-task-add`, …) and, once the server answers, `rt-command-confirm` or
 * `rt-command-reject`.
 */
export class TaskCommands extends TagCommands<Host> {
  /** The last thing done, for the board's `role="status"` region. */
  announcement = ''

  protected partition(): PartitionDetail {
    return { board: this.host.board }
  }

  /** Adds a task at the end of a column; `false` when there is nothing to add. */
  add(title: string, status: TaskStatus): boolean {
    const kit = this.kit()
    const board = this.host.board
    if (!kit || !board || title === '') return false
    const { docId, command } = this.report(tasksOf(kit).addTask({ board, title, status }))
    this.announce(this.localize.term('added', title, this.localize.term(COLUMN_LABELS[status])))
    emit(this.host, 'rt-task-add', { board, id: docId, title, status, commandId: command.id })
    return true
  }

  /**
   * Moves `task` to position `index` of column `status`, counted without the
   * task itself. Also takes tasks dropped from another board on the page.
   */
  move(task: BoardTask | DraggedTask, status: TaskStatus, index: number): void {
    const kit = this.kit()
    const { board, columns } = this.host
    if (!kit) return
    const destination = columns[status].filter((other) => other.id !== task.id)
    const at = Math.max(0, Math.min(index, destination.length))
    const currentIndex = columns[task.status]?.findIndex((other) => other.id === task.id) ?? -1
    if (task.board === board && task.status === status && currentIndex === at) return
    const order = orderAt(destination, at)
    const to = task.board === board ? { status, order } : { status, order, board }
    const { command } = this.report(tasksOf(kit).moveTask(task.id, to))
    this.announce(this.localize.term('moved', task.title, this.localize.term(COLUMN_LABELS[status]), at + 1, destination.length + 1))
    emit(this.host, 'rt-task-move', { board, id: task.id, from: task.status, status, order, commandId: command.id })
  }

  rename(task: BoardTask, title: string): void {
    const kit = this.kit()
    if (!kit || title === '' || title === task.title) return
    const { command } = this.report(tasksOf(kit).renameTask(task.id, title))
    this.announce(this.localize.term('renamed', title))
    emit(this.host, 'rt-task-rename', { board: this.host.board, id: task.id, title, commandId: command.id })
  }

  remove(task: BoardTask): void {
    const kit = this.kit()
    if (!kit) return
    const { command } = this.report(tasksOf(kit).removeTask(task.id))
    this.announce(this.localize.term('removed', task.title))
    emit(this.host, 'rt-task-remove', { board: this.host.board, id: task.id, commandId: command.id })
  }

  private announce(text: string): void {
    this.announcement = text
    this.host.requestUpdate()
  }
}
