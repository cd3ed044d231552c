import type { UserProfile } from '../../contracts/documents.ts'
import { connection } from './connection.ts'
import { driver, getAllOf } from './driver.ts'

/**
 * Users are keyed by their normalised username, so the primary key makes
 * usernames unique atomically (RethinkDB has no unique secondary indexes).
 */
export const USERS_TABLE = 'users'

export interface UserRecord {
  /** Normalised username (primary key). */
  id: string
  userId: string
  name: string
  /** scrypt hash; `''` for an account with no password yet (an import without secrets): sign-in is refused. */
  passwordHash: string
  createdAt: string
  /** Set by `rtkit-server users disable`: sign-in is refused and the sessions end. */
  disabled?: boolean
  /**
   * Tokens issued (`iat`, seconds) before this are refused and their sockets
   * closed: set by `rtkit-server users revoke`, `disable` and `set-password`.
   */
  sessionsEndedAt?: number
}

/** Why the account's token must no longer work, or `undefined`: disabled, or issued before its sessions were ended. */
export function accountRefusal(record: UserRecord, issuedAt: number | undefined): string | undefined {
  if (record.disabled) return 'account disabled'
  if (record.sessionsEndedAt !== undefined && (issuedAt ?? 0) < record.sessionsEndedAt) return 'session ended by an administrator'
  return undefined
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase()
}

export function profileOf(record: UserRecord): UserProfile {
  return { id: record.userId, username: record.id, name: record.name }
}

/** Inserts a new user; `false` when the username is taken. */
export async function insertUser(record: UserRecord): Promise<boolean> {
  const r = await driver()
  const result = await r
    .table(USERS_TABLE)
    .insert(record, { conflict: 'error' })
    .run(await connection())
  return result.inserted === 1
}

export async function findUserByUsername(username: string): Promise<UserRecord | undefined> {
  const r = await driver()
  const record = await r
    .table(USERS_TABLE)
    .get<UserRecord>(normaliseUsername(username))
    .run(await connection())
  return record ?? undefined
}

export async function findUserById(userId: string): Promise<UserRecord | undefined> {
  const r = await driver()
  const cursor = await r
    .table(USERS_TABLE)
    .getAll(userId, { index: 'userId' })
    .limit(1)
    .run(await connection())
  const [record] = (await cursor.toArray()) as UserRecord[]
  return record
}

export async function findUsersByIds(userIds: readonly string[]): Promise<UserRecord[]> {
  const r = await driver()
  if (userIds.length === 0) return []
  const cursor = await getAllOf(r.table(USERS_TABLE), userIds, { index: 'userId' }).run(await connection())
  return (await cursor.toArray()) as UserRecord[]
}
