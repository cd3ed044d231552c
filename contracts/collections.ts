import * as z from 'zod/mini'
import { defineCollection, documentId, partitionValue, type AnyCollection } from './collection.ts'
import { messagesCollection, TASK_STATUSES, tasksCollection, type MessageFields, type TaskFields } from './descriptors.ts'
import { HOST_USER_PREFIX, type Principal } from './principal.ts'
import { visibleText } from './text.ts'

/**
 * Every collection the server exposes: validation, indexes and rules, each
 * built on its descriptor (`contracts/descriptors.ts`, the half the client
 * shares). Migrations, the HTTP handlers, deepstream's permissions and the
 * bridge all read these; nothing else lists the collections.
 */

const taskFields = {
  title: visibleText({ max: 200 }),
  status: z.enum(TASK_STATUSES as [TaskFields['status'], ...TaskFields['status'][]]),
  order: z.number(),
  assignee: z.optional(z.string().check(z.maxLength(64, 'must be at most 64 characters'))),
}
const taskCreate = z.strictObject({ id: documentId, board: partitionValue, ...taskFields })

/** Tasks on boards: any signed-in user may read and change any board. */
export const tasks = defineCollection<TaskFields>({
  ...tasksCollection,
  indexes: [],
  create: taskCreate,
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

const text = visibleText({ max: 2000, multiline: true })
const messageCreate = z.strictObject({ id: documentId, room: partitionValue, text })
const deriveAuthor = (user: Principal) => ({ author: user.id, authorName: user.name })

/** Chat messages in rooms: the author comes from the token; only the author edits or deletes. */
export const messages = defineCollection<MessageFields>({
  ...messagesCollection,
  indexes: ['createdAt'],
  create: messageCreate,
  patch: z.strictObject({ text }),
  derive: deriveAuthor,
  rules: {
    read: mayReadRoom,
    create: (user, doc) => mayReadRoom(user, doc.room),
    update: (user, existing) => existing.author === user.id,
    remove: (user, existing) => existing.author === user.id,
  },
})

// The field types the client knows (descriptors.ts, zod-free) are what the
// schemas accept: a schema and its type cannot drift apart without failing
// the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Stored<S extends z.ZodMiniType, Derived = unknown> = Omit<z.output<S>, 'id'> & Derived
const fieldTypesMatch: [
  Same<Stored<typeof taskCreate>, TaskFields>,
  Same<Stored<typeof messageCreate, ReturnType<typeof deriveAuthor>>, MessageFields>,
] = [true, true]
void fieldTypesMatch

/** Every collection the server exposes, by name. Add a declaration here to add a collection. */
export const collections: Readonly<Record<string, AnyCollection>> = {
  [tasks.name]: tasks,
  [messages.name]: messages,
}

/** The declaration of `name`, or `undefined` for an unknown collection. */
export function findCollection(name: string): AnyCollection | undefined {
  return Object.hasOwn(collections, name) ? collections[name] : undefined
}
