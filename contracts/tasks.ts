import * as z from 'zod/mini'
import { defineCollection, documentId, partitionValue } from './collection.ts'
import { visibleText } from './text.ts'
import { TASK_STATUSES, type TaskFields } from './documents.ts'

const taskFields = {
  title: visibleText({ max: 200 }),
  status: z.enum(TASK_STATUSES as [TaskFields['status'], ...TaskFields['status'][]]),
  order: z.number(),
  assignee: z.optional(z.string().check(z.maxLength(64, 'must be at most 64 characters'))),
}

/** Tasks on boards: any signed-in user may read and change any board. */
export const tasks = defineCollection<TaskFields>({
  name: 'tasks',
  partitionKey: 'board',
  indexes: [],
  create: z.strictObject({ id: documentId, board: partitionValue, ...taskFields }),
  // Moving a task to another board is a patch of `board`.
  patch: z
    .partial(z.strictObject({ board: partitionValue, ...taskFields }))
    .check(z.refine((patch) => Object.keys(patch).length > 0, 'must change at least one field')),
  rules: {
    read: () => true,
    create: () => true,
    update: () => true,
    remove: () => true,
  },
})
