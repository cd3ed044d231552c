import { finalize, tap, type Observable } from 'rxjs'
import { TaskStatus, tasksCollection, type TaskFields } from '../../contracts/index.ts'
import type { CommandReceipt } from '../commands/receipt.ts'
import type { Kit } from '../kit.ts'
import { perKit } from './per-kit.ts'
import type { LiveDoc } from '../live/live-doc.ts'

/**
 * Opt-in shortcuts for the built-in `tasks` collection, built only on the
 * generic core (`kit.collection(tasksCollection)`), as any widget's own
 * helpers would be. `<rt-task-board>` uses them; a collection of your own
 * needs nothing like this: `kit.collection('votes')` reads and writes it.
 */

/** Input of {@link TaskShortcuts.addTask}. */
export interface NewTask {
  board: string
  title: string
  /** Default `todo`. */
  status?: TaskStatus
  /** Default: after the last task of that status on the board, as {@link TaskShortcuts.tasks$} last showed it (else 1). */
  order?: number
  assignee?: string
  /** Client id of the new task; default `crypto.randomUUID()`. */
  id?: string
}

/** Target of {@link TaskShortcuts.moveTask}. */
export interface TaskMove {
  status: TaskStatus
  order: number
  /** Move to another board too. */
  board?: string
}

/** What {@link tasksOf} gives. */
export interface TaskShortcuts {
  /** Tasks of a board, sorted by status (todo, doing, done), then `order`, then id. */
  tasks$(board: string): Observable<readonly LiveDoc<TaskFields>[]>
  addTask(task: NewTask): CommandReceipt
  moveTask(id: string, to: TaskMove): CommandReceipt
  renameTask(id: string, title: string): CommandReceipt
  /** Deletes even if someone else changed the task meanwhile. */
  removeTask(id: string): CommandReceipt
}

/**
 * The task shortcuts of `kit` (one set per kit).
 *
 * @example
 * import { createKit, tasksOf } from 'rtkit/services'
 * const tasks = tasksOf(kit)
 * tasks.tasks$('launch').subscribe(render)
 * const { docId } = tasks.addTask({ board: 'launch', title: 'Ship it' })
 * tasks.moveTask(docId, { status: 'doing', order: 1 })
 */
export const tasksOf: (kit: Kit) => TaskShortcuts = perKit((kit) => taskShortcuts(kit))

function taskShortcuts(kit: Kit): TaskShortcuts {
  const tasks = kit.collection(tasksCollection)
  /** Each watched board's tasks as last shown, for the default order of a new task. */
  const shown = new Map<string, readonly LiveDoc<TaskFields>[]>()

  function nextOrder(board: string, status: TaskStatus): number {
    const orders = (shown.get(board) ?? []).filter((task) => task.status === status).map((task) => task.order)
    return orders.length ? Math.max(...orders) + 1 : 1
  }

  return {
    tasks$: (board) =>
      tasks
        .where({ board })
        .watch()
        .pipe(
          tap((docs) => shown.set(board, docs)),
          finalize(() => shown.delete(board)),
        ),
    addTask({ id, board, title, status = TaskStatus.todo, order, assignee }) {
      const fields = { board, title, status, order: order ?? nextOrder(board, status) }
      return tasks.insert({ ...fields, ...(assignee !== undefined ? { assignee } : {}), ...(id !== undefined ? { id } : {}) })
    },
    moveTask: (id, { status, order, board }) => tasks.update(id, board !== undefined ? { status, order, board } : { status, order }),
    renameTask: (id, title) => tasks.update(id, { title }),
    removeTask: (id) => tasks.remove(id),
  }
}
