import r from 'rethinkdb'
import type { Connection } from 'rethinkdb'
import { findCollection, servedCollections } from '../collections/registry.ts'
import { hashPassword } from '../lib/passwords.ts'
import { USERS_TABLE, type UserRecord } from './users.ts'

/** The demo accounts (development only); README lists them. */
export const DEMO_USERS = [
  { username: 'alice', name: 'Alice Martin', userId: '00000000-0000-4000-8000-00000000a11c' },
  { username: 'bob', name: 'Bob Okafor', userId: '00000000-0000-4000-8000-000000000b0b' },
] as const
export const DEMO_PASSWORD = 'rtkit-demo'
export const DEMO_BOARD = 'launch'
export const DEMO_ROOM = 'lobby'

/**
 * Whether the store holds nothing yet: no user and no document (tombstones
 * count as documents). The demo seed only ever goes into an empty store, so
 * data kept on disk is never topped up with demo rows a user deleted.
 */
export async function isEmptyStore(conn: Connection): Promise<boolean> {
  for (const table of [USERS_TABLE, ...servedCollections().map((declaration) => declaration.name)]) {
    if (!(await r.table(table).isEmpty().run(conn))) return false
  }
  return true
}

/** What {@link seed} added besides the demo accounts: the demo board and room, where the config declares their collections. */
export interface SeededDemo {
  readonly board?: string
  readonly room?: string
}

/** Inserts the demo users, and the demo board and room where the config declares `tasks` and `messages` (call it on an empty store). */
export async function seed(conn: Connection): Promise<SeededDemo> {
  const now = new Date().toISOString()
  const users: UserRecord[] = await Promise.all(
    DEMO_USERS.map(async (u) => ({
      id: u.username,
      userId: u.userId,
      name: u.name,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      createdAt: now,
    })),
  )
  await r.table(USERS_TABLE).insert(users, { conflict: 'error' }).run(conn)

  const alice = DEMO_USERS[0].userId
  const meta = { version: 1, createdAt: now, updatedAt: now, createdBy: alice }
  const demoTasks = [
    { id: '10000000-0000-4000-8000-000000000001', title: 'Write the launch post', status: 'todo', order: 1 },
    { id: '10000000-0000-4000-8000-000000000002', title: 'Record the demo video', status: 'todo', order: 2 },
    { id: '10000000-0000-4000-8000-000000000003', title: 'Review the pricing page', status: 'doing', order: 1 },
    { id: '10000000-0000-4000-8000-000000000004', title: 'Set up the status page', status: 'done', order: 1 },
  ].map((task) => ({ ...task, board: DEMO_BOARD, ...meta }))
  const board = findCollection('tasks') ? DEMO_BOARD : undefined
  if (board) await r.table('tasks').insert(demoTasks, { conflict: 'error' }).run(conn)
  if (!findCollection('messages')) return { board }
  await r
    .table('messages')
    .insert(
      {
        id: '20000000-0000-4000-8000-000000000001',
        room: DEMO_ROOM,
        text: 'Welcome to the lobby! Open this page in a second window to see changes sync live.',
        author: alice,
        authorName: DEMO_USERS[0].name,
        ...meta,
      },
      { conflict: 'error' },
    )
    .run(conn)
  return { board, room: DEMO_ROOM }
}
