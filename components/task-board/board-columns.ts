import { TASK_STATUSES, type TaskFields, type TaskStatus } from '../../contracts/index.ts'
import type { LiveDoc } from '../../services/index.ts'

/** A task as the board shows it (pending while a command on it is unconfirmed). */
export type BoardTask = LiveDoc<TaskFields>

/** The tasks of a board by column, each in display order. */
export type Columns = Readonly<Record<TaskStatus, readonly BoardTask[]>>

/** Column titles, also used in announcements and the "Move to…" menu. */
export const COLUMN_LABELS: Readonly<Record<TaskStatus, string>> = { todo: 'To do', doing: 'Doing', done: 'Done' }

export const EMPTY_COLUMNS: Columns = { todo: [], doing: [], done: [] }

/**
 * Splits the board's tasks (already in board order) into columns. Tasks with
 * a status the board does not know are left out.
 *
 * @example
 * groupByStatus(tasks).doing.map((task) => task.title)
 */
export function groupByStatus(tasks: readonly BoardTask[]): Columns {
  const columns: Record<TaskStatus, BoardTask[]> = { todo: [], doing: [], done: [] }
  for (const task of tasks) columns[task.status]?.push(task)
  return columns
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
  const same = (a: readonly BoardTask[], b: readonly BoardTask[]) => a.length === b.length && a.every((task, i) => task === b[i])
  let changed = false
  const kept = {} as Record<TaskStatus, readonly BoardTask[]>
  for (const status of TASK_STATUSES) {
    kept[status] = same(previous[status], next[status]) ? previous[status] : next[status]
    changed ||= kept[status] !== previous[status]
  }
  return changed ? kept : previous
}

/** The column `step` places left (-1) or right (+1) of `status`, if there is one. */
export function neighbourOf(status: TaskStatus, step: -1 | 1): TaskStatus | undefined {
  return TASK_STATUSES[TASK_STATUSES.indexOf(status) + step]
}
