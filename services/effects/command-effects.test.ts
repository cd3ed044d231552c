import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Observable, type Subscriber } from 'rxjs'
import type { Doc, Session } from '../../contracts/index.ts'
import type { Command } from '../commands/command.ts'
import { Store } from '../core/store.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'
import { errorFromResponse } from '../gateways/http-errors.ts'
import type { HttpGateway } from '../gateways/http-gateway.ts'
import type { RealtimeGateway } from '../gateways/realtime-gateway.ts'
import { commandConfirmed, commandIssued, commandRejected } from '../state/commands.ts'
import { realtimeStatusChanged } from '../state/connection.ts'
import { initialKitState, kitReducer, type KitState } from '../state/root.ts'
import { loginRequested, sessionRestored, signedIn } from '../state/session.ts'
import { MemoryStorage } from '../storage/memory-storage.ts'
import { task } from '../testing/fixtures.ts'
import type { KeyValueStorage } from '../storage/key-value-storage.ts'
import { commandEffects } from './command-effects.ts'
import type { EffectContext } from './effect-context.ts'
import { tabPresence } from '../storage/tab-presence.ts'

const session = (userId: string, token = `token-of-${userId}`): Session => ({
  token,
  user: { id: userId, username: userId, name: userId },
  expiresAt: 2e9,
})
const rename = (id: string, userId: string, title: string): Command => ({
  id,
  op: 'update',
  type: '[Tasks] Rename Task',
  collection: 'tasks',
  docId: 't1',
  userId,
  issuedAt: '2024-01-01T00:00:00.000Z',
  patch: { title },
  expectedVersion: 1,
})

/** Each `update` call, with the token the store holds at that moment (what the real gateway would send). */
interface SentUpdate {
  readonly title: unknown
  readonly token: string | null
  readonly answer: Subscriber<Doc>
}

function harness(storage: KeyValueStorage = new MemoryStorage()) {
  const sent: SentUpdate[] = []
  const store = new Store<KitState>(kitReducer, initialKitState)
  const http = {
    update: (_collection: string, _id: string, _version: number, patch: Readonly<Record<string, unknown>>) =>
      new Observable<Doc>((answer) => {
        sent.push({ title: patch.title, token: store.state.session.token, answer })
      }),
  } as unknown as HttpGateway
  const context: EffectContext = {
    http,
    realtime: {} as RealtimeGateway,
    storage,
    storageKey: 'test',
    tabs: tabPresence('test', 'tab-1'),
    newId: () => 'id',
    now: () => '2024-01-01T00:00:00.000Z',
    pageSize: 10,
  }
  store.addEffect(commandEffects(context), 'commands')
  return { store, sent, storage }
}

/** Lets pending promise callbacks (async storage, effects' `defer(async …)`) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('commandEffects', () => {
  describe('when another user signs in without signing out', () => {
    it("never sends the first user's queued command with the second user's token, and replays it at the first user's next sign-in", async () => {
      // Prepare: alice is signed in but offline, with one queued command.
      const { store, sent, storage } = harness()
      store.dispatch(signedIn({ requestId: 'r1', session: session('alice') }))
      await settle()
      store.dispatch(commandIssued({ command: rename('c1', 'alice', 'by alice') }))
      await settle()

      // Act: bob logs in on the same kit; the connection opens.
      store.dispatch(loginRequested({ requestId: 'r2', username: 'bob', password: 'x' }))
      store.dispatch(signedIn({ requestId: 'r2', session: session('bob') }))
      await settle()
      store.dispatch(realtimeStatusChanged({ status: ConnectionStatus.open }))
      await settle()

      // Assess: nothing sent as bob; alice's queue stays under alice's key, bob's key holds none of it.
      assert.deepEqual(sent, [])
      assert.deepEqual(store.state.commands.queue, [])
      assert.equal(JSON.parse((await storage.get('test:commands:alice:tab-1'))!).commands[0].id, 'c1')
      assert.equal(await storage.get('test:commands:bob:tab-1'), null)

      // Act: alice signs in again.
      store.dispatch(loginRequested({ requestId: 'r3', username: 'alice', password: 'x' }))
      store.dispatch(signedIn({ requestId: 'r3', session: session('alice') }))
      await settle()

      // Assess: her command is sent, with her token.
      assert.deepEqual(
        sent.map(({ title, token }) => [title, token]),
        [['by alice', 'token-of-alice']],
      )
    })

    it('abandons an in-flight send when the session ends, so no retry goes out with the next token', async () => {
      const { store, sent } = harness()
      store.dispatch(sessionRestored({ session: session('alice') }))
      await settle()
      store.dispatch(realtimeStatusChanged({ status: ConnectionStatus.open }))
      store.dispatch(commandIssued({ command: rename('c1', 'alice', 'by alice') }))
      await settle()
      assert.equal(sent.length, 1)
      assert.equal(sent[0]!.answer.closed, false)

      store.dispatch(loginRequested({ requestId: 'r2', username: 'bob', password: 'x' }))

      assert.equal(sent[0]!.answer.closed, true, 'the request was unsubscribed')
      assert.equal(store.state.commands.sending, null)
    })
  })

  it('stores the latest queue even when async storage finishes an older write last', async () => {
    // Prepare: the first write takes longer than the ones after it.
    const values = new Map<string, string>()
    let writes = 0
    const storage: KeyValueStorage = {
      get: async (key) => values.get(key) ?? null,
      set: async (key, value) => {
        const delay = writes++ === 0 ? 30 : 0
        await new Promise((resolve) => setTimeout(resolve, delay))
        values.set(key, value)
      },
      remove: async (key) => {
        values.delete(key)
      },
    }
    const { store } = harness(storage)
    store.dispatch(signedIn({ requestId: 'r', session: session('alice') }))
    await settle()

    // Act: two queue changes in a row.
    store.dispatch(commandIssued({ command: rename('c1', 'alice', 'one') }))
    store.dispatch(commandIssued({ command: rename('c2', 'alice', 'two') }))
    await new Promise((resolve) => setTimeout(resolve, 60))

    // Assess
    assert.deepEqual(
      JSON.parse(values.get('test:commands:alice')!).commands.map((c: Command) => c.id),
      ['c1', 'c2'],
    )
  })

  describe('when the server answers 503 unavailable (its database is down)', () => {
    it('keeps the commands queued, retries with backoff, and applies each once, in order, when the server recovers', async () => {
      // Prepare: alice online with two queued renames.
      const { store, sent } = harness()
      const settled: string[] = []
      store.actions$.subscribe((action) => {
        if (commandConfirmed.is(action)) settled.push(`confirmed ${action.command.id}`)
        if (commandRejected.is(action)) settled.push(`rejected ${action.command.id}`)
      })
      store.dispatch(sessionRestored({ session: session('alice') }))
      await settle()
      store.dispatch(commandIssued({ command: rename('c1', 'alice', 'one') }))
      store.dispatch(commandIssued({ command: rename('c2', 'alice', 'two') }))
      store.dispatch(realtimeStatusChanged({ status: ConnectionStatus.open }))
      await settle()

      // Act: the first attempt gets 503.
      sent[0]!.answer.error(errorFromResponse(503, { error: { code: 'unavailable', message: 'the database is unavailable' } }))
      await settle()

      // Assess: nothing rolled back, both still queued in order, HTTP marked unreachable, nothing else sent yet.
      assert.deepEqual(settled, [])
      assert.deepEqual(
        store.state.commands.queue.map((c) => c.id),
        ['c1', 'c2'],
      )
      assert.equal(store.state.connection.httpReachable, false)
      assert.equal(sent.length, 1)

      // Act: after the backoff (about a second) the head is sent again; the server has recovered.
      const started = Date.now()
      while (sent.length < 2 && Date.now() - started < 3000) await settle()
      assert.ok(Date.now() - started >= 500, 'retried after a backoff, not at once')
      sent[1]!.answer.next(task('t1', 2, { title: 'one' }))
      sent[1]!.answer.complete()
      await settle()
      sent[2]!.answer.next(task('t1', 3, { title: 'two' }))
      sent[2]!.answer.complete()
      await settle()

      // Assess
      assert.deepEqual(
        sent.map((s) => s.title),
        ['one', 'one', 'two'],
      )
      assert.deepEqual(settled, ['confirmed c1', 'confirmed c2'])
      assert.deepEqual(store.state.commands.queue, [])
      store.dispose()
    })
  })
})
