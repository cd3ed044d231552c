import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EVENT_ACTION, TOPIC } from '@deepstream/protobuf/dist/types/all'
import type { Message } from '@deepstream/protobuf/dist/types/messages'
import type { SocketWrapper } from '@deepstream/types'
import r, { type Connection } from 'rethinkdb'
import { loadConfig } from '../config.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded.ts'
import { migrate } from '../db/migrate.ts'
import { REVOCATIONS_TABLE } from '../db/revocations.ts'
import { createVerifier } from '../lib/tokens.ts'
import { CollectionPermission } from './collection-permission.ts'
import type { SessionData } from './jwt-authentication.ts'
import { SessionRegistry } from './session-registry.ts'

// The race the realtime tests cannot stage on demand: a login checked the
// database just before its token's revocation arrived on the changefeed. The
// socket stands in for deepstream's (the registry and the permission plugin
// are the real ones); the end-to-end case is in host-auth.test.ts.

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600

function socketOf(tokenKey: string, issuedAt?: number): SocketWrapper & { destroyed: number } {
  const data: SessionData = {
    id: 'user-1',
    username: 'ada',
    name: 'Ada',
    role: 'user',
    expiresAt: inAnHour(),
    tokenKey,
    source: 'rtkit',
    ...(issuedAt !== undefined ? { issuedAt } : {}),
  }
  const closers: Array<() => void> = []
  const socket = {
    userId: data.id,
    serverData: data,
    isClosed: false,
    destroyed: 0,
    onClose: (close: () => void) => closers.push(close),
    destroy() {
      socket.destroyed++
      socket.isClosed = true
      for (const close of closers) close()
    },
  }
  return socket as unknown as SocketWrapper & { destroyed: number }
}

function mayAct(permission: CollectionPermission, socket: SocketWrapper): Promise<boolean> {
  const message = { topic: TOPIC.EVENT, action: EVENT_ACTION.SUBSCRIBE, name: 'tasks/launch' } as Message
  return new Promise((resolve) => permission.canPerformAction(socket, message, (_s, _m, _p, _e, allowed) => resolve(allowed), undefined))
}

describe('the session registry', () => {
  it('closes a socket whose token was revoked before the socket was indexed, and the permission plugin refuses it', async () => {
    const sessions = new SessionRegistry()
    const permission = new CollectionPermission(createVerifier(loadConfig({ RTKIT_ENV: 'test' }).jwt, undefined), sessions, false)
    const late = socketOf('revoked-key')
    const other = socketOf('live-key')
    // As SessionTracking does at login.
    sessions.observe(late)
    sessions.observe(other)
    assert.equal(await mayAct(permission, late), true, 'allowed before the revocation')
    assert.equal(sessions.revoke('revoked-key', inAnHour()), 1)
    assert.equal(late.destroyed, 1)

    // Sockets that signed in with the token as its revocation arrived: one is
    // indexed afterwards, the other acts before anything closed it.
    const indexed = socketOf('revoked-key')
    sessions.observe(indexed)
    assert.ok(indexed.isClosed, 'closed as it is indexed')
    const acting = socketOf('revoked-key')
    assert.equal(await mayAct(permission, acting), false)
    assert.ok(acting.isClosed, 'closed as it acts')
    assert.equal(await mayAct(permission, other), true, 'another token is untouched')
  })

  it('forgets a revocation once its token has expired', () => {
    const sessions = new SessionRegistry()
    const now = Date.now()
    sessions.revoke('old', Math.floor(now / 1000) + 1, now)
    sessions.revoke('new', inAnHour(), now + 2_000)
    assert.equal(sessions.isRevoked(socketOf('old')), false)
    assert.equal(sessions.isRevoked(socketOf('new')), true)
  })
})

describe("an account's sessions ended by an operator (rtkit-server users revoke, disable)", () => {
  it('closes the sockets of tokens issued before the cut-off, now and as they sign in, and spares later ones', () => {
    const sessions = new SessionRegistry()
    const old = socketOf('old-key', 1_000)
    const renewed = socketOf('renewed-key', 2_000)
    sessions.observe(old)
    sessions.observe(renewed)
    assert.equal(sessions.followAccount({ userId: 'user-1', sessionsEndedAt: 1_500 }), 1)
    assert.equal(old.destroyed, 1)
    assert.equal(renewed.isClosed, false)
    const late = socketOf('late-key', 1_200)
    sessions.observe(late)
    assert.ok(late.isClosed, 'an older token signing in after the cut-off is closed as it is indexed')
    assert.equal(sessions.isRevoked(socketOf('no-iat')), true, 'a token without iat counts as older')
  })

  it('closes every socket of a disabled account, and none once the account is in use again', () => {
    const sessions = new SessionRegistry()
    const socket = socketOf('key', 2_000)
    sessions.observe(socket)
    assert.equal(sessions.followAccount({ userId: 'user-1', disabled: true }), 1)
    assert.equal(sessions.followAccount({ userId: 'user-1' }), 0)
    assert.equal(sessions.isRevoked(socketOf('key', 2_000)), false)
  })
})

describe('when the node did not follow the feed (before it first did, or while its connection was lost)', () => {
  const db = 'rtkit_sessions_test'
  let database: EmbeddedDatabase
  const connect = (): Promise<Connection> => {
    const url = new URL(database.url)
    return r.connect({ host: url.hostname, port: Number(url.port), db, user: 'admin', password: decodeURIComponent(url.password) })
  }
  before(async () => {
    database = await startEmbeddedDatabase({ dataDir: 'memory' })
    const conn = await connect()
    await r.dbCreate(db).run(conn)
    await migrate(conn, db)
    await conn.close()
  })
  after(() => database.close())

  it('looks up the open sockets’ tokens and closes those revoked meanwhile', async () => {
    const sessions = new SessionRegistry()
    const revoked = socketOf('missed-key')
    const live = socketOf('live-key')
    sessions.observe(revoked)
    sessions.observe(live)
    const conn = await connect()
    await r.table(REVOCATIONS_TABLE).insert({ id: 'missed-key', userId: 'user-1', expiresAt: inAnHour(), revokedAt: '' }).run(conn)
    await conn.close()

    assert.equal(await sessions.recheck(connect), 1)
    assert.ok(revoked.isClosed)
    assert.ok(!live.isClosed)
    assert.ok(sessions.isRevoked(socketOf('missed-key')), 'remembered for sockets still to come')
  })
})
