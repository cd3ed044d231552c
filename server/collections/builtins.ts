import * as z from 'zod/mini'
import { firstUse } from '../lib/first-use.ts'
import { TASK_STATUSES, type TaskStatus } from '../../contracts/descriptors.ts'
import { HOST_USER_PREFIX, type Principal } from '../../contracts/principal.ts'
import { defineCollection, text, type CollectionDefinition } from './define.ts'
import type { StandardSchemaV1 } from './standard-schema.ts'

/** The built-ins' field validators by type only, so their declarations name no schema library. */
type Schemas<F> = { readonly [K in keyof F]-?: StandardSchemaV1<F[K], F[K]> }
type TaskSchemas = Schemas<{ title: string; status: TaskStatus; order: number; assignee: string | undefined }>
type Author = { author: string; authorName: string }

/**
 * The two collections rtkit ships, declared with the same `defineCollection`
 * an operator uses, and exported to operators from `rtkit-server/config`:
 * keep them, leave one out (its routes answer 404), or build a variant from
 * one (`defineCollection({ ...tasks, fields: { ...tasks.fields, due: … } })`).
 * With no config module, the server runs exactly these.
 */

/**
 * The built-ins' field schemas, built when first read (compiling the
 * collections reads them): importing this module builds no zod schema, so a
 * Lambda handler's init does not (zod compiles its own code on the first).
 * The same objects on every read.
 */
const taskFields = firstUse((): TaskSchemas => ({
  title: text({ max: 200 }),
  status: z.enum(TASK_STATUSES as [TaskStatus, ...TaskStatus[]]),
  order: z.number(),
  assignee: z.optional(z.string().check(z.maxLength(64, 'must be at most 64 characters'))),
}))
const messageFields = firstUse((): Schemas<{ text: string }> => ({ text: text({ max: 2000, multiline: true }) }))

/** Tasks on boards: any signed-in user may read and change any board. Moving a task is a patch of `board`. */
export const tasks: CollectionDefinition<TaskSchemas, 'board'> = defineCollection({
  name: 'tasks',
  partitionKey: 'board',
  get fields(): TaskSchemas {
    return taskFields()
  },
  order: ['status', 'order'],
  rules: {
    read: () => true,
    create: () => true,
    update: () => true,
    remove: () => true,
  },
})

/**
 * The members a direct-message room names: `dm:<userId>:<userId>`, where a
 * host user's id is itself `host:<sub>` (`dm:host:carol:<uuid>`).
 */
function roomMembers(room: string): string[] {
  const parts = room.split(':').slice(1)
  const members: string[] = []
  const prefix = HOST_USER_PREFIX.slice(0, -1)
  for (let i = 0; i < parts.length; i++) members.push(parts[i] === prefix && i + 1 < parts.length ? `${prefix}:${parts[++i]}` : parts[i]!)
  return members
}

/**
 * Direct-message rooms are named `dm:<userId>:<userId>` and readable only by
 * those two users; every other room is open to any signed-in user.
 */
export function mayReadRoom(user: Principal, room: string): boolean {
  if (user.role === 'service') return true
  if (!room.startsWith('dm:')) return true
  // Exactly two members: `dm:a:b`. Anything else named dm: is nobody's.
  const members = roomMembers(room)
  return members.length === 2 && members.includes(user.id)
}

/** Chat messages in rooms: the author comes from the token; only the author edits or deletes. */
export const messages: CollectionDefinition<Schemas<{ text: string }>, 'room', Author> = defineCollection({
  name: 'messages',
  partitionKey: 'room',
  get fields(): Schemas<{ text: string }> {
    return messageFields()
  },
  derive: (user) => ({ author: user.id, authorName: user.name }),
  order: ['createdAt'],
  indexes: ['createdAt'],
  rules: {
    read: mayReadRoom,
    create: (user, doc) => mayReadRoom(user, doc.room),
    update: (user, existing) => existing.author === user.id,
    remove: (user, existing) => existing.author === user.id,
  },
})
