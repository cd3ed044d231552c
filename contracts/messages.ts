import * as z from 'zod/mini'
import { defineCollection, documentId, partitionValue } from './collection.ts'
import { visibleText } from './text.ts'
import type { MessageFields } from './documents.ts'
import type { Principal } from './principal.ts'

const text = visibleText({ max: 2000, multiline: true })

/**
 * Direct-message rooms are named `dm:<userId>:<userId>` and readable only by
 * those two users; every other room is open to any signed-in user.
 */
export function mayReadRoom(user: Principal, room: string): boolean {
  if (user.role === 'service') return true
  if (!room.startsWith('dm:')) return true
  // Exactly two members: `dm:a:b`. Anything else named dm: is nobody's.
  const members = room.split(':').slice(1)
  return members.length === 2 && members.includes(user.id)
}

/** Chat messages in rooms: the author comes from the token; only the author edits or deletes. */
export const messages = defineCollection<MessageFields>({
  name: 'messages',
  partitionKey: 'room',
  indexes: ['createdAt'],
  create: z.strictObject({ id: documentId, room: partitionValue, text }),
  patch: z.strictObject({ text }),
  derive: (user) => ({ author: user.id, authorName: user.name }),
  rules: {
    read: mayReadRoom,
    create: (user, doc) => mayReadRoom(user, doc.room),
    update: (user, existing) => existing.author === user.id,
    remove: (user, existing) => existing.author === user.id,
  },
})
