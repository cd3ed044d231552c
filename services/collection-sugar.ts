import type { Observable } from 'rxjs'
import { messagesCollection, TaskStatus, tasksCollection, type MessageFields, type TaskFields } from '../contracts/index.ts'
import type { CommandIssuer } from './commands/command-issuer.ts'
import { CommandType } from './commands/command-types.ts'
import type { Store } from './core/store.ts'
import type { Kit, LiveQuery, NewTask, TaskMove } from './kit.ts'
import type { LiveDoc } from './live/live-doc.ts'
import type { KitState } from './state/root.ts'
import { selectLiveDocs } from './state/selectors.ts'

/**
 * The facade's typed shortcuts for the built-in collections, on the
 * generic core (`kit.collection(descriptor)` and the command issuer): tasks
 * on boards and messages in rooms. A new collection needs none of this:
 * `kit.collection(notesCollection).where({ page })` is typed and ordered by
 * its descriptor, and `kit.insert/update/remove` write it.
 */

/** What the shortcuts need from the core. */
export interface SugarCore {
  readonly store: Store<KitState>
  readonly commands: CommandIssuer
  /** A partition of a described collection, kept live and in the descriptor's order. */
  query<F extends object>(descriptor: { name: string; partitionKey: string }, partition: string): LiveQuery<F>
}

type TaskSugar = Pick<Kit, 'tasks$' | 'addTask' | 'moveTask' | 'renameTask' | 'removeTask'>
type MessageSugar = Pick<Kit, 'messages$' | 'sendMessage' | 'editMessage' | 'removeMessage'>

export function taskSugar({ store, commands, query }: SugarCore): TaskSugar {
  const { name, partitionKey } = tasksCollection

  /** After the last task of that status on the board, as currently known. */
  function nextOrder(board: string, status: TaskStatus): number {
    const docs = selectLiveDocs({ collection: name, key: partitionKey, value: board })(store.state) as
      readonly LiveDoc<TaskFields>[] | undefined
    const orders = (docs ?? []).filter((task) => task.status === status).map((task) => task.order)
    return orders.length ? Math.max(...orders) + 1 : 1
  }

  return {
    tasks$: (board): Observable<readonly LiveDoc<TaskFields>[]> => query<TaskFields>(tasksCollection, board).watch(),
    addTask(task: NewTask) {
      const status = task.status ?? TaskStatus.todo
      const fields: Record<string, unknown> = {
        board: task.board,
        title: task.title,
        status,
        order: task.order ?? nextOrder(task.board, status),
      }
      if (task.assignee !== undefined) fields.assignee = task.assignee
      return commands.insert(CommandType.addTask, name, fields, { docId: task.id })
    },
    moveTask(id, to: TaskMove) {
      const patch: Record<string, unknown> = { status: to.status, order: to.order }
      if (to.board !== undefined) patch.board = to.board
      return commands.update(CommandType.moveTask, name, id, patch)
    },
    renameTask: (id, title) => commands.update(CommandType.renameTask, name, id, { title }),
    removeTask: (id) => commands.remove(CommandType.removeTask, name, id),
  }
}

export function messageSugar({ store, commands, query }: SugarCore): MessageSugar {
  const { name } = messagesCollection
  return {
    messages$: (room): Observable<readonly LiveDoc<MessageFields>[]> => query<MessageFields>(messagesCollection, room).watch(),
    sendMessage(room, text, options = {}) {
      const user = store.state.session.user
      // The server derives author fields from the token; show them at once, never send them.
      const derived = user ? { author: user.id, authorName: user.name } : undefined
      return commands.insert(CommandType.sendMessage, name, { room, text }, { docId: options.id, derived })
    },
    editMessage: (id, text) => commands.update(CommandType.editMessage, name, id, { text }),
    removeMessage: (id) => commands.remove(CommandType.removeMessage, name, id),
  }
}
