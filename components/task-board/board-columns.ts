import { TASK_STATUSES, TaskStatus, type TaskFields } from '../../contracts/index.ts'
import type { LiveDoc } from '../../services/index.ts'
import type { RtTranslation } from '../i18n/translation.ts'

/** A task as the board shows it (pending while a command on it is unconfirmed). */
export type BoardTask = LiveDoc<TaskFields>

/** The tasks of a board by column, each in display order. */
export type Columns = Readonly<Record<TaskStatus, readonly BoardTask[]>>

/** The catalogue key of each column's title, also used in announcements and the "Move to…" menu. */
export const COLUMN_LABELS = { todo: 'todo', doing: 'doing', done: 'done' } as const satisfies Record<TaskStatus, keyof RtTranslation>

export const EMPTY_COLUMNS: Columns = { todo: [], doing: [], done: [] }

/**
 * Splits the board's tasks (already in board order) into columns. Tasks with
 * a status the board does not know are left out.
 *
 * @example
 * groupByStatus(tasks).doing.map((task) => task.title)
 */
export function groupByStatus(tasks: readonly BoardTask[]): Columns {
  const todo: BoardTask[] = []
  const doing: BoardTask[] = []
  const done: BoardTask[] = []
  // Plain loops (here and in keepUnchanged): they run once per change over every task of the board.
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!
    if (task.status === TaskStatus.todo) todo.push(task)
    else if (task.status === TaskStatus.doing) doing.push(task)
    else if (task.status === TaskStatus.done) done.push(task)
  }
  return { todo, doing, done }
}

function sameTasks(a: readonly BoardTask[], b: readonly BoardTask[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * `next`, with each column that holds the same tasks as in `previous` (the
 * same objects, in the same order) replaced by the previous array, so that a
 * change in one column leaves the others' arrays, and their virtualized lists,
 * untouched. Returns `previous` itself when nothing changed.
 *
 * @example
 * columns = keepUnchanged(columns, groupByStatus(tasks))
 */
export function keepUnchanged(previous: Columns, next: Columns): Columns {
  let changed = false
  const kept = {} as Record<TaskStatus, readonly BoardTask[]>
  for (const status of TASK_STATUSES) {
    kept[status] = sameTasks(previous[status], next[status]) ? previous[status] : next[status]
    changed ||= kept[status] !== previous[status]
  }
  return changed ? kept : previous
}

/** The column `step` places left (-1) or right (+1) of `status`, if there is one. */
export function neighbourOf(status: TaskStatus, step: -1 | 1): TaskStatus | undefined {
  return TASK_STATUSES[TASK_STATUSES.indexOf(status) + step]
}
