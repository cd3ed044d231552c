import type { TaskFields, TaskStatus } from '../../contracts/index.ts'
import type { DocChange } from '../../services/index.ts'
import type { RtCommandEventMap } from '../internal/command-events.ts'

/** What every task event carries: the board, and the command the user's action issued. */
interface TaskActionDetail {
  /** The board the tag shows. */
  board: string
  /** Id of the task. */
  id: string
  /** Id of the command; `rt-command-confirm` / `rt-command-reject` later carry the same one. */
  commandId: string
}

/** Detail of `rt-task-add`. */
export interface TaskAddDetail extends TaskActionDetail {
  title: string
  status: TaskStatus
}

/** Detail of `rt-task-move`. */
export interface TaskMoveDetail extends TaskActionDetail {
  /** Column it left. */
  from: TaskStatus
  /** Column it is now in. */
  status: TaskStatus
  order: number
}

/** Detail of `rt-task-rename`. */
export interface TaskRenameDetail extends TaskActionDetail {
  title: string
}

/** Detail of `rt-task-remove`. */
export type TaskRemoveDetail = TaskActionDetail

/**
 * Detail of `rt-task-change`: a change to one of the board's tasks as the
 * server has it, from anyone. `origin` is `local` for this user's own
 * commands (with `commandId`) and `remote` for everyone else's; `op` is
 * `upsert` (`doc` is the task now) or `remove`; `previous` is the task as
 * this tag knew it before (absent for a new one).
 *
 * @example
 * document.addEventListener('rt-task-change', ({ detail }) => {
 *   if (detail.origin === 'remote' && detail.op === 'upsert' && !detail.previous) toast(`New task: ${detail.doc.title}`)
 * })
 */
export type TaskChangeDetail = DocChange<TaskFields> & { board: string }

/** The events `<rt-task-board>` dispatches. */
export interface RtTaskBoardEventMap extends RtCommandEventMap {
  /** The user added a task (it shows at once, pending until `rt-command-confirm`). */
  'rt-task-add': CustomEvent<TaskAddDetail>
  /** The user moved a task (keyboard, "Move to…", or drag and drop). */
  'rt-task-move': CustomEvent<TaskMoveDetail>
  /** The user renamed a task. */
  'rt-task-rename': CustomEvent<TaskRenameDetail>
  /** The user removed a task. */
  'rt-task-remove': CustomEvent<TaskRemoveDetail>
  /** A task of the board changed on the server, by anyone: `origin` says whether it was this user's command. */
  'rt-task-change': CustomEvent<TaskChangeDetail>
}

declare global {
  interface GlobalEventHandlersEventMap extends RtTaskBoardEventMap {}
}
