import { DeepstreamPlugin, type ConnectionListener, type SocketWrapper } from '@deepstream/types'
import r, { type Connection } from 'rethinkdb'
import { Role } from '../../contracts/principal.ts'
import { followChanges, type ChangefeedFollower } from '../bridge/changefeed-follower.ts'
import type { DatabaseConfig } from '../config.ts'
import { connectOptions } from '../db/connection.ts'
import { getAllOf } from '../db/driver.ts'
import { REVOCATIONS_TABLE, type Revocation } from '../db/revocations.ts'
import { USERS_TABLE, type UserRecord } from '../db/users.ts'
import { log, type Logger } from '../lib/log.ts'
import { signals } from '../ops/signals.ts'
import type { SessionData } from './jwt-authentication.ts'

/**
 * The open realtime sessions of this deepstream node, by token and by user,
 * so that what ends a token over HTTP ends it here too: `POST /auth/logout`
 * (a row in `revocations`) closes every socket signed in with that token,
 * and a deleted or disabled account, or one whose sessions an operator
 * ended (`rtkit-server users revoke`: `sessionsEndedAt`), closes its user's
 * sockets. The node learns of both
 * from the database's changefeeds, as the bridge learns of documents, so a
 * revocation on any gateway or Lambda reaches every node within moments.
 * (deepstream checks a token only at login.)
 *
 * A socket is indexed the moment it signs in ({@link SessionTracking}), so a
 * socket that never acts is closed like any other. The tokens revoked while
 * this node follows the feed are remembered until they expire: a socket
 * whose login was checked just before its token's revocation arrived is
 * closed as it is indexed, and {@link isRevoked} lets the permission plugin
 * refuse its actions.
 */
export class SessionRegistry {
  readonly #byKey = new Map<string, Set<SocketWrapper>>()
  readonly #byUser = new Map<string, Set<SocketWrapper>>()
  readonly #known = new WeakMap<SocketWrapper, { key: string; user: string }>()
  /** Revoked token keys and their tokens' `exp` (seconds), in the order they arrived. */
  readonly #revoked = new Map<string, number>()
  /** Users whose tokens issued before a time (seconds; `Infinity` when disabled) no longer work. */
  readonly #ended = new Map<string, number>()
  #follower: ChangefeedFollower | undefined

  /** Indexes `socket` under its current token (again after a refresh); closes it if that token is revoked. */
  observe(socket: SocketWrapper): void {
    const data = socket.serverData as Partial<SessionData> | null
    if (!data || data.role === Role.service || typeof data.tokenKey !== 'string' || typeof data.id !== 'string') return
    const known = this.#known.get(socket)
    if (known?.key !== data.tokenKey) {
      if (known) this.#forget(socket, known)
      else socket.onClose(() => this.#forget(socket, this.#known.get(socket)))
      const entry = { key: data.tokenKey, user: data.id }
      this.#known.set(socket, entry)
      add(this.#byKey, entry.key, socket)
      add(this.#byUser, entry.user, socket)
    }
    if (this.isRevoked(socket) && !socket.isClosed) socket.destroy()
  }

  /** Whether `socket`'s token was revoked, or its user's sessions ended (as far as this node has heard). */
  isRevoked(socket: SocketWrapper): boolean {
    const data = socket.serverData as Partial<SessionData> | null
    if (typeof data?.tokenKey === 'string' && this.#revoked.has(data.tokenKey)) return true
    const cutoff = typeof data?.id === 'string' ? this.#ended.get(data.id) : undefined
    return cutoff !== undefined && (data?.issuedAt ?? 0) < cutoff
  }

  /**
   * Follows an account's state: disabled, or sessions ended at a time,
   * closes the user's sockets signed in with a token issued before it, now
   * and as they sign in.
   *
   * @returns how many sockets it closed
   */
  followAccount(user: Pick<UserRecord, 'userId' | 'disabled' | 'sessionsEndedAt'>): number {
    const cutoff = user.disabled ? Infinity : user.sessionsEndedAt
    if (cutoff === undefined) {
      this.#ended.delete(user.userId)
      return 0
    }
    this.#ended.set(user.userId, cutoff)
    return closeAll(new Set([...(this.#byUser.get(user.userId) ?? [])].filter((socket) => this.isRevoked(socket))))
  }

  /** Remembers the token `key` as revoked until `expiresAt` (seconds) and closes its sockets. */
  revoke(key: string, expiresAt: number, now = Date.now()): number {
    for (const [revoked, until] of this.#revoked) if (until * 1000 <= now) this.#revoked.delete(revoked)
    if (expiresAt * 1000 > now) this.#revoked.set(key, expiresAt)
    return this.endToken(key)
  }

  /** Closes every socket signed in with the token `key`. */
  endToken(key: string): number {
    return closeAll(this.#byKey.get(key))
  }

  /** Closes every socket of `userId`. */
  endUser(userId: string): number {
    return closeAll(this.#byUser.get(userId))
  }

  /**
   * Closes the open sockets whose tokens were revoked while this node did
   * not follow the feed (before it first followed it, or while its
   * connection was lost): one read of the open tokens' keys, by primary key.
   *
   * @returns how many sockets it closed
   */
  async recheck(connect: () => Promise<Connection>): Promise<number> {
    const keys = [...this.#byKey.keys()]
    if (keys.length === 0) return 0
    const conn = await connect()
    try {
      const cursor = await getAllOf(r.table(REVOCATIONS_TABLE), keys).run(conn)
      let closed = 0
      for (const revocation of (await cursor.toArray()) as Revocation[]) closed += this.revoke(revocation.id, revocation.expiresAt)
      const users = await getAllOf(r.table(USERS_TABLE), [...this.#byUser.keys()], { index: 'userId' }).run(conn)
      for (const user of (await users.toArray()) as UserRecord[]) closed += this.followAccount(user)
      return closed
    } finally {
      await conn.close()
    }
  }

  /** Follows revocations and account deletions in the database until {@link close}. */
  follow(database: DatabaseConfig, logger: Logger = log.child({ part: 'realtime-sessions' })): void {
    const connect = () => r.connect(connectOptions(database))
    const recheck = () =>
      this.recheck(connect).catch((error: unknown) => logger.warn({ err: error }, 'could not check the open sessions for revocations'))
    this.#follower = followChanges({
      connect,
      collections: [{ name: REVOCATIONS_TABLE }, { name: USERS_TABLE }],
      onChange: (table, change) => {
        if (table.name === REVOCATIONS_TABLE && change.new_val) {
          const revocation = change.new_val as unknown as Revocation
          this.revoke(revocation.id, revocation.expiresAt)
        }
        if (table.name === USERS_TABLE && change.old_val && !change.new_val) this.endUser((change.old_val as unknown as UserRecord).userId)
        if (table.name === USERS_TABLE && change.new_val) this.followAccount(change.new_val as unknown as UserRecord)
      },
      // Revocations made while away are refused at the next login and on every HTTP call; open sockets are looked up.
      onResumed: () => void recheck(),
      log: logger,
    })
    // Sockets that signed in before the feed first followed the table.
    this.#follower.ready.then(recheck, () => undefined)
  }

  async close(): Promise<void> {
    await this.#follower?.close()
  }

  #forget(socket: SocketWrapper, entry: { key: string; user: string } | undefined): void {
    if (!entry) return
    remove(this.#byKey, entry.key, socket)
    remove(this.#byUser, entry.user, socket)
  }
}

function add(index: Map<string, Set<SocketWrapper>>, key: string, socket: SocketWrapper): void {
  let sockets = index.get(key)
  if (!sockets) index.set(key, (sockets = new Set()))
  sockets.add(socket)
}

function remove(index: Map<string, Set<SocketWrapper>>, key: string, socket: SocketWrapper): void {
  const sockets = index.get(key)
  sockets?.delete(socket)
  if (sockets?.size === 0) index.delete(key)
}

function closeAll(sockets: Set<SocketWrapper> | undefined): number {
  const open = [...(sockets ?? [])].filter((socket) => !socket.isClosed)
  for (const socket of open) socket.destroy()
  return open.length
}

/**
 * Hands every socket to the registry as it signs in, before its first
 * action: deepstream calls a plugin's `onClientConnected` right after a
 * successful login. A separate plugin because deepstream closes its plugins
 * when it stops, and the registry outlives a restart of the server.
 *
 * @example
 * server.getServices().plugins.rtkitSessions = new SessionTracking(sessions)
 */
export class SessionTracking extends DeepstreamPlugin implements ConnectionListener {
  description = 'rtkit session tracking'

  constructor(private readonly sessions: SessionRegistry) {
    super()
  }

  onClientConnected(socket: SocketWrapper): void {
    this.sessions.observe(socket)
    signals.realtimeConnection.publish({ delta: 1 })
  }

  onClientDisconnected(): void {
    // The registry forgets a socket when it closes (`observe` listens for that).
    signals.realtimeConnection.publish({ delta: -1 })
  }
}
