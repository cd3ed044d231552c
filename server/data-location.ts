import { isAbsolute, join, relative } from 'node:path'
import { DEMO_PASSWORD, DEMO_USERS, type SeededDemo } from './db/seed.ts'
import type { Stack } from './stack.ts'

/** `dir` relative to the working folder when inside it (`.rtkit/data`), else as is. */
function shown(dir: string): string {
  const inside = relative(process.cwd(), dir)
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : dir
}

/** A database URL without its credentials, for printing. */
export function withoutCredentials(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.toString()
}

/**
 * The lines the start entries print about where the data lives and how to
 * start over, e.g.
 *
 *   database: embedded, rethinkdb://127.0.0.1:41234 (loopback only; password in .rtkit/data/db-password)
 *   data: .rtkit/data (delete the folder to start over)
 *
 * preceded, when this start seeded an empty store, by the accounts anyone
 * can sign in to: the demo password is public.
 */
export function dataLines(stack: Pick<Stack, 'embedded' | 'config' | 'seeded'> & { databaseUrl: string | undefined }): string[] {
  // First, so that a reader waiting for the `data:` line has it too.
  return [...(stack.seeded ? [demoLine(stack.seeded)] : []), ...whereTheDataLives(stack)]
}

/** `demo: added the accounts alice and bob (password rtkit-demo), the board launch and the room lobby to the empty store; …` */
function demoLine({ board, room }: SeededDemo): string {
  const added = [`the accounts ${DEMO_USERS.map((user) => user.username).join(' and ')} (password ${DEMO_PASSWORD})`]
  if (board) added.push(`the board ${board}`)
  if (room) added.push(`the room ${room}`)
  const listed = added.length > 1 ? `${added.slice(0, -1).join(', ')} and ${added.at(-1)}` : added[0]
  return `demo: added ${listed} to the empty store; RTKIT_SEED=false or RTKIT_ENV=production leaves them out`
}

function whereTheDataLives(stack: Pick<Stack, 'embedded'> & { databaseUrl: string | undefined }): string[] {
  const { embedded } = stack
  if (!stack.databaseUrl) return [] // deepstream alone: no database here
  if (!embedded) return [`database: ${withoutCredentials(stack.databaseUrl)} (RTKIT_RETHINKDB_URL; the data lives there)`]
  if (embedded.dataDir === 'memory') {
    return [
      `database: embedded, ${embedded.address} (loopback only)`,
      'data: in memory (RTKIT_DATA_DIR=memory): nothing is kept after a stop',
    ]
  }
  return [
    `database: embedded, ${embedded.address} (loopback only; password in ${shown(join(embedded.dataDir, 'db-password'))})`,
    `data: ${shown(embedded.dataDir)} (delete the folder to start over)`,
  ]
}
