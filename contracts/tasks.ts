import * as z from 'zod'
import { defineCollection, documentId, partitionValue } from './collection.ts'
import { TASK_STATUSES, type TaskFields } from './documents.ts'

const taskFields = {
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  status: z.enum(TASK_STATUSES as [TaskFields['status'], ...TaskFields['status'][]]),
  order: z.number().finite(),
  assignee: z.string().max(64).optional(),
}

/** Tasks on boards: any signed-in user may read and change any board. */
export const tasks = defineCollection<TaskFields>({
  name: 'tasks',
  partitionKey: 'board',
  indexes: [],
  create: z.strictObject({ id: documentId, board: partitionValue, ...taskFields }),
  // Moving a task to another board is a patch of `board`.
  patch: z
    .strictObject({ board: partitionValue, ...taskFields })
    .partial()
    .refine((patch) => Object.keys(patch).length > 0, { message: 'must change at least one field' }),
  rules: {
    read: () => true,
    create: () => true,
    update: () => true,
    remove: () => true,
  },
})
