import { TASK_STATUSES, type MessageFields, type TaskFields } from '../../contracts/index.ts'
import type { LiveDoc } from './live-doc.ts'

const STATUS_RANK = new Map<string, number>(TASK_STATUSES.map((status, index) => [status, index]))

function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Board order: status (todo, doing, done), then `order`, then id so ties
 * are stable across clients.
 *
 * @example
 * [...tasks].sort(compareTasks)
 */
export function compareTasks(a: LiveDoc<TaskFields>, b: LiveDoc<TaskFields>): number {
  const byStatus = (STATUS_RANK.get(a.status) ?? TASK_STATUSES.length) - (STATUS_RANK.get(b.status) ?? TASK_STATUSES.length)
  return byStatus || a.order - b.order || compareIds(a, b)
}

/**
 * Chat order: `createdAt` (ISO strings sort as times), then id.
 *
 * @example
 * [...messages].sort(compareMessages)
 */
export function compareMessages(a: LiveDoc<MessageFields>, b: LiveDoc<MessageFields>): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : compareIds(a, b)
}
