import type { Session } from '../../contracts/documents.ts'
import { profileOf, type UserRecord } from '../db/users.ts'
import { firstUse } from './first-use.ts'

const tokens = firstUse(() => import('./tokens.ts'))

/**
 * The body of a successful login or registration. `tokens.ts` (and
 * jsonwebtoken with it) is loaded by the first session issued, not at a
 * Lambda's init: a request refused before this point never needs it.
 */
export async function sessionFor(record: UserRecord): Promise<Session> {
  const user = profileOf(record)
  const { issueToken } = await tokens()
  const { token, expiresAt } = issueToken(user)
  return { token, user, expiresAt }
}
