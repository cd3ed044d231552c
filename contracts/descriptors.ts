import { compareIds, describeCollection, type AnyDescriptor } from './descriptor.ts'
import type { Doc } from './documents.ts'

/**
 * Every collection's descriptor and field types: the zod-free half of a
 * collection, which the client and the server share. The other half, the
 * server's validation and rules, is in `server/collections/builtins.ts`.
 */

/** Task status values; a `const` object plus a union type. */
export const TaskStatus = {
  todo: 'todo',
  doing: 'doing',
  done: 'done',
} as const
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus]
export const TASK_STATUSES: readonly TaskStatus[] = [TaskStatus.todo, TaskStatus.doing, TaskStatus.done]

/** Fields of a task; partitioned by `board`. */
export interface TaskFields {
  board: string
  title: string
  status: TaskStatus
  order: number
  assignee?: string | undefined
}
export type Task = Doc<TaskFields>

const STATUS_RANK = new Map<string, number>(TASK_STATUSES.map((status, index) => [status, index]))

/**
 * Board order: status (todo, doing, done), then `order`, then id so ties
 * are stable across clients.
 */
export function compareTasks(a: Doc<TaskFields>, b: Doc<TaskFields>): number {
  const byStatus = (STATUS_RANK.get(a.status) ?? TASK_STATUSES.length) - (STATUS_RANK.get(b.status) ?? TASK_STATUSES.length)
  return byStatus || a.order - b.order || compareIds(a, b)
}

/** Tasks on boards. */
export const tasksCollection = describeCollection<TaskFields>({
  name: 'tasks',
  partitionKey: 'board',
  textFields: ['title'],
  compare: compareTasks,
})

/** Fields of a chat message; partitioned by `room`. `author*` are set by the server. */
export interface MessageFields {
  room: string
  text: string
  /** Token subject of the sender; never taken from the request body. */
  author: string
  /** Display name of the sender at the time of sending. */
  authorName: string
}
export type Message = Doc<MessageFields>

/** Chat order: `createdAt` (ISO strings sort as times), then id. */
export function compareMessages(a: Doc<MessageFields>, b: Doc<MessageFields>): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : compareIds(a, b)
}

/** Chat messages in rooms. */
export const messagesCollection = describeCollection<MessageFields>({
  name: 'messages',
  partitionKey: 'room',
  textFields: ['text'],
  compare: compareMessages,
})

/** Every collection's descriptor, by name. */
export const descriptors: Readonly<Record<string, AnyDescriptor>> = {
  [tasksCollection.name]: tasksCollection,
  [messagesCollection.name]: messagesCollection,
}
