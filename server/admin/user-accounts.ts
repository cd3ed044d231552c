import { randomUUID } from 'node:crypto'
import r, { type Connection } from 'rethinkdb'
import * as z from 'zod/mini'
import { normaliseUsername, USERS_TABLE, type UserRecord } from '../db/users.ts'
import { registration } from '../lib/auth-schemas.ts'
import { hashPassword } from '../lib/passwords.ts'

/**
 * `rtkit-server users …`: rtkit's own accounts, written straight into the
 * `users` table with the rules of registration (`auth-schemas.ts`). Ending
 * sessions goes through the machinery logout uses: the account's
 * `sessionsEndedAt` makes every token issued before it fail its session
 * check (`session-guard.ts`, at once where no answer is cached, within its
 * 5 s cache elsewhere), and every deepstream node follows the `users`
 * table's changefeed and closes the sockets of those tokens
 * (`session-registry.ts`) within moments.
 */

/** A mistake the operator can fix (unknown user, taken name, a password against the rules); printed as is. */
export class AccountError extends Error {
  override name = 'AccountError'
  readonly expose = true
}

/** The first issue of a failed check, as one line: `password: must be at least 8 characters`. */
function firstIssue(error: z.core.$ZodError): string {
  const [issue] = error.issues
  return issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'
}

/** Checks a username, password and display name by the registration rules. */
export function checkRegistration(input: { username: string; password: string; name: string }): void {
  const parsed = z.safeParse(registration(), input)
  if (!parsed.success) throw new AccountError(firstIssue(parsed.error))
}

/** What `users list` prints per account. */
export function describeAccount(user: UserRecord): string {
  const state = user.disabled ? 'disabled' : user.passwordHash === '' ? 'no-password' : 'active'
  return [user.id, state, user.userId, user.name].join('\t')
}

/** Every account, by username. */
export async function listAccounts(conn: Connection): Promise<UserRecord[]> {
  const rows = (await (await r.table(USERS_TABLE).run(conn)).toArray()) as UserRecord[]
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Creates an account; refuses a taken username. */
export async function addAccount(conn: Connection, username: string, password: string, name: string): Promise<UserRecord> {
  checkRegistration({ username, password, name })
  const record: UserRecord = {
    id: normaliseUsername(username),
    userId: randomUUID(),
    name: name.trim(),
    passwordHash: await hashPassword(password),
    createdAt: new Date().toISOString(),
  }
  const result = await r.table(USERS_TABLE).insert(record, { conflict: 'error' }).run(conn)
  if (result.inserted !== 1) throw new AccountError(`username ${record.id} is taken`)
  return record
}

/**
 * The `sessionsEndedAt` that ends every token issued until now: the next
 * whole second, since `iat` counts seconds. A token issued later in this
 * second is refused too, so {@link endSessions} waits for that second to
 * pass before it returns: a sign-in after the command works.
 */
function sessionCutoff(now = Date.now()): number {
  return Math.floor(now / 1000) + 1
}

async function untilSecond(second: number): Promise<void> {
  const wait = second * 1000 - Date.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}

/** Changes one account; refuses an unknown username. */
async function updateAccount(conn: Connection, username: string, change: Partial<UserRecord>): Promise<UserRecord> {
  const id = normaliseUsername(username)
  const result = await r.table(USERS_TABLE).get(id).update(change, { returnChanges: true }).run(conn)
  if (result.skipped > 0 || (result.replaced === 0 && result.unchanged === 0)) throw new AccountError(`no user ${id}`)
  const row = (await r.table(USERS_TABLE).get<UserRecord>(id).run(conn)) as UserRecord | null
  if (!row) throw new AccountError(`no user ${id}`)
  return row
}

/** Ends every session of the account: its tokens are refused, its sockets closed. */
export async function endSessions(conn: Connection, username: string, change: Partial<UserRecord> = {}): Promise<UserRecord> {
  const cutoff = sessionCutoff()
  const user = await updateAccount(conn, username, { ...change, sessionsEndedAt: cutoff })
  await untilSecond(cutoff)
  return user
}

/** Sets a new password and ends the account's sessions (a reset after a leak must end them). */
export async function setAccountPassword(conn: Connection, username: string, password: string): Promise<UserRecord> {
  checkRegistration({ username, password, name: 'unchanged' })
  return endSessions(conn, username, { passwordHash: await hashPassword(password) })
}

/** Blocks sign-in and ends the account's sessions. */
export function disableAccount(conn: Connection, username: string): Promise<UserRecord> {
  return endSessions(conn, username, { disabled: true })
}
