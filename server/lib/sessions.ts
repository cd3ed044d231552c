import type { Session } from '../../contracts/documents.ts'
import { profileOf, type UserRecord } from '../db/users.ts'
import { issueToken } from './tokens.ts'

/** The body of a successful login or registration. */
export function sessionFor(record: UserRecord): Session {
  const user = profileOf(record)
  const { token, expiresAt } = issueToken(user)
  return { token, user, expiresAt }
}
