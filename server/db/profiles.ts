import type { UserProfile } from '../../contracts/documents.ts'
import { connection } from './connection.ts'
import { driver, getAllOf } from './driver.ts'

/**
 * Public profiles of host users (signed in with the embedding app's
 * tokens), as their latest token named them. They have no account here;
 * the row only lets `GET /users` name them in other users' presence lists.
 */
export const PROFILES_TABLE = 'profiles'

interface ProfileRow extends UserProfile {
  updatedAt: string
}

/** Remembers `profile`; writes only when the stored one differs. */
export async function rememberProfile(profile: UserProfile): Promise<void> {
  const r = await driver()
  const conn = await connection()
  const stored = await r.table(PROFILES_TABLE).get<ProfileRow>(profile.id).run(conn)
  if (stored && stored.name === profile.name && stored.username === profile.username) return
  const row: ProfileRow = { ...profile, updatedAt: new Date().toISOString() }
  await r.table(PROFILES_TABLE).insert(row, { conflict: 'replace' }).run(conn)
}

export async function findProfiles(ids: readonly string[]): Promise<UserProfile[]> {
  if (ids.length === 0) return []
  const r = await driver()
  const cursor = await getAllOf(r.table(PROFILES_TABLE), ids).run(await connection())
  const rows = (await cursor.toArray()) as ProfileRow[]
  return rows.map(({ id, username, name }) => ({ id, username, name }))
}
