import type { ReactiveControllerHost } from 'lit'
import type { Kit } from '../../services/index.ts'
import type { LocalizeController } from '../i18n/localize.ts'
import type { BoardTask, Columns } from './board-columns.ts'
import { BoardDrag } from './board-drag.ts'
import { BoardKeyboard } from './board-keyboard.ts'
import { Cell } from './cell.ts'
import { MoveMenu } from './move-menu.ts'
import { TaskCommands } from './task-commands.ts'
import { boardColumns } from './task-column.ts'

/**
 * What `<rt-task-board>` needs once someone is signed in: its commands, the
 * keyboard grid, drag and drop, the "Move to…" menu and the columns' and
 * cards' templates. A signed-out board shows only a notice, so these come in
 * a chunk of their own (`task-board.component.ts` loads it on the first
 * signed-in render, as it does the virtualizer); that keeps a signed-out
 * page's first load small. Single-file builds inline it.
 */
export interface BoardParts {
  readonly commands: TaskCommands
  readonly keyboard: BoardKeyboard
  readonly drag: BoardDrag
  readonly menu: MoveMenu
  readonly boardColumns: typeof boardColumns
}

type Host = ReactiveControllerHost &
  HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment; readonly board: string; readonly columns: Columns }

export interface BoardPartsOptions {
  kit(): Kit | undefined
  /** The task with this id on this board, if any. */
  find(id: string): BoardTask | undefined
  remove(task: BoardTask): void
  rename(task: BoardTask): void
  /** The board's strings in the page's language. */
  readonly localize: LocalizeController
}

/** Creates the parts as controllers of `host` (added late, they connect at once). */
export function createBoardParts(host: Host, options: BoardPartsOptions): BoardParts {
  const commands = new TaskCommands(host, options.kit, options.localize)
  const keyboard = new BoardKeyboard(host, {
    columns: () => host.columns,
    move: (task, status, index) => commands.move(task, status, index),
    remove: options.remove,
    rename: options.rename,
  })
  const drag = new BoardDrag(host, {
    columns: () => host.columns,
    find: options.find,
    move: (task, status, index) => commands.move(task, status, index),
  })
  const menu = new MoveMenu(host, {
    move: (task, status) => commands.move(task, status, host.columns[status].length),
    returnFocus: (task) => void keyboard.focus(task.id, Cell.move),
    localize: options.localize,
  })
  return { commands, keyboard, drag, menu, boardColumns }
}
