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

/** The column `step` places left (-1) or right (+1) of `status`, if there is one. */
export function neighbourOf(status: TaskStatus, step: -1 | 1): TaskStatus | undefined {
  return TASK_STATUSES[TASK_STATUSES.indexOf(status) + step]
}
