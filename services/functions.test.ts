// Server functions and custom services through the facade, against the
// bundled server with an operator config: kit.call resolves a result or
// rejects with a typed error; kit.command is queued offline and, after a
// reload, runs exactly once; a service factory gets the kit's abstractions
// and kit.service returns its one instance.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { firstValueFrom } from 'rxjs'
import { createKit } from './create-kit.ts'
import type { ServiceContext } from './custom-services.ts'
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from './gateways/http-errors.ts'
import type { Kit, KitOptions } from './kit.ts'
import { MemoryStorage } from './storage/memory-storage.ts'
import { TcpProxy } from './testing/tcp-proxy.ts'
import { stackWithConfig } from './testing/config-stack.ts'
import { waitFor } from './testing/wait.ts'

const define = pathToFileURL(fileURLToPath(new URL('../server/collections/config-entry.ts', import.meta.url))).href
const zod = pathToFileURL(fileURLToPath(new URL('../node_modules/zod/mini/index.js', import.meta.url))).href
const CONFIG = `
import { defineConfig, defineCollection, defineFunction } from '${define}'
import * as z from '${zod}'
export default defineConfig({
  collections: [
    defineCollection({ name: 'votes', partitionKey: 'poll', fields: { choice: z.string() }, derive: (user) => ({ voter: user.id }), rules: { read: () => true } }),
  ],
  functions: [
    defineFunction({
      name: 'vote',
      input: z.object({ poll: z.string(), choice: z.string() }),
      rules: { call: (user, input) => input.poll !== 'closed' },
      handler: async (input, ctx) => {
        await ctx.collections.votes.insert({ poll: input.poll, choice: input.choice })
        return { total: (await ctx.collections.votes.list(input.poll)).length }
      },
    }),
    defineFunction({
      name: 'slow-vote',
      input: z.object({ poll: z.string() }),
      handler: async (input, ctx) => {
        const gate = globalThis.rtkitTestGate
        gate.start()
        await gate.opened
        await ctx.collections.votes.insert({ poll: input.poll, choice: 'slow' })
        return { total: (await ctx.collections.votes.list(input.poll)).length }
      },
    }),
  ],
})
`

/** Opened by the test, awaited by `slow-vote`: the stack runs in this process, so they share `globalThis`. */
const gate = {} as { started: Promise<void>; start(): void; opened: Promise<void>; open(): void }
gate.started = new Promise((resolve) => (gate.start = resolve))
gate.opened = new Promise((resolve) => (gate.open = resolve))
;(globalThis as { rtkitTestGate?: typeof gate }).rtkitTestGate = gate

/** A stand-in for a widget author's service: it wraps a function and a query behind its own API. */
class PollService {
  constructor(readonly ctx: ServiceContext) {}
  vote(poll: string, choice: string) {
    return this.ctx.command('vote', { poll, choice })
  }
  votes$(poll: string) {
    return this.ctx.collection<{ poll: string; choice: string }>('votes').where({ poll }).watch()
  }
  disposed = false
  dispose() {
    this.disposed = true
  }
}

describe('server functions and services through the kit', () => {
  const fixture = stackWithConfig(CONFIG)
  const { kits, held } = fixture

  function newKit(options: Partial<KitOptions> = {}): Kit {
    const kit = createKit({
      apiUrl: fixture.stack.apiUrl,
      realtimeUrl: fixture.stack.realtimeUrl,
      storage: new MemoryStorage(),
      ...options,
    })
    kits.push(kit)
    return kit
  }
  async function signedIn(username: 'alice' | 'bob', options: Partial<KitOptions> = {}): Promise<Kit> {
    const kit = newKit(options)
    await kit.login(username, 'rtkit-demo')
    return kit
  }
  /** The votes of a poll as the server stores them, read over HTTP (not through a kit). */
  async function storedVotes(poll: string): Promise<unknown[]> {
    const login = await fetch(`${fixture.stack.apiUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bob', password: 'rtkit-demo' }),
    })
    const { token } = (await login.json()) as { token: string }
    const response = await fetch(`${fixture.stack.apiUrl}/collections/votes?poll=${poll}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return ((await response.json()) as { items: unknown[] }).items
  }

  it('kit.call resolves the result, and rejects with typed errors', async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const kit = await signedIn('alice')
    assert.deepEqual(await kit.call('vote', { poll, choice: 'red' }), { total: 1 })
    await assert.rejects(kit.call('vote', { poll }), (error) => error instanceof ValidationError && error.status === 422)
    await assert.rejects(kit.call('vote', { poll: 'closed', choice: 'red' }), ForbiddenError)
    await assert.rejects(kit.call('no-such-function', {}), NotFoundError)
    await assert.rejects(newKit().call('vote', { poll, choice: 'red' }), UnauthorizedError)
    assert.equal((await storedVotes(poll)).length, 1)
  })

  it('kit.command is queued offline, kept across a reload, and runs exactly once', async () => {
    // Prepare: a kit that reaches the server through relays we can cut.
    const api = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(fixture.stack.apiUrl).port) })
    await api.start()
    const apiUrl = `http://127.0.0.1:${api.port}`
    const storage = new MemoryStorage()
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const first = await signedIn('alice', { apiUrl, storage })

    // Act: offline, issue the command; "reload" (a new kit on the same storage); back online.
    await api.stop()
    const receipt = first.command('vote', { poll, choice: 'green' })
    assert.equal(receipt.command.op, 'call')
    await waitFor(first.pending$, (pending) => pending.length === 1, 'the queued call')
    await first.dispose()
    const second = newKit({ apiUrl, storage })
    await waitFor(second.pending$, (pending) => pending.length === 1, 'the restored call')
    await api.start()
    await waitFor(second.pending$, (pending) => pending.length === 0, 'the queue to drain', 30_000)

    // Assess: one vote, no error.
    assert.equal((await storedVotes(poll)).length, 1)
    assert.deepEqual(await firstValueFrom(second.errors$), [])
    await api.stop()
  })

  it('kit.command whose answer was lost runs once: the retry carries the same Idempotency-Key', async () => {
    // Prepare
    const api = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(fixture.stack.apiUrl).port) })
    await api.start()
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const kit = await signedIn('alice', { apiUrl: `http://127.0.0.1:${api.port}` })

    // Act: the call reaches the server; while it runs, the connection is cut, so its answer is lost.
    const { settled } = kit.command('slow-vote', { poll })
    await gate.started
    await api.stop()
    await api.start()
    gate.open()
    const outcome = await settled

    // Assess: the retry got the first run's answer; the function ran once.
    assert.deepEqual(outcome, { status: 'confirmed', doc: undefined, version: 0, result: { total: 1 } })
    assert.equal((await storedVotes(poll)).length, 1)
    await api.stop()
  })

  it('kit.command confirms with the result, or rejects into errors$ like a collection write', async () => {
    const kit = await signedIn('alice')
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const confirmed = await kit.command('vote', { poll, choice: 'blue' }).settled
    assert.deepEqual(confirmed, { status: 'confirmed', doc: undefined, version: 0, result: { total: 1 } })
    const refused = await kit.command('vote', { poll: 'closed', choice: 'blue' }).settled
    assert.equal(refused.status, 'rejected')
    const [error] = await firstValueFrom(kit.errors$)
    assert.equal(error?.status, 403)
    assert.equal(error?.command?.op, 'call')
  })

  it('injects a service built from the kit’s abstractions, once, and disposes it with the kit', async () => {
    let built = 0
    let given: ServiceContext | undefined
    const kit = await signedIn('alice', {
      services: {
        polls: (ctx) => {
          built += 1
          given = ctx
          return new PollService(ctx)
        },
      },
    })
    const polls = kit.service<PollService>('polls')
    assert.equal(kit.service('polls'), polls)
    assert.equal(built, 1)
    assert.deepEqual(Object.keys(given!).sort(), ['actions$', 'call', 'collection', 'command', 'dispatch', 'http', 'session$', 'state$'])
    assert.throws(() => kit.service('nope'), /no service "nope": createKit's services has polls/)

    // The service works through the kit: its command writes, its query sees the write live.
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const votes$ = polls.votes$(poll)
    held.push(votes$.subscribe())
    await waitFor(kit.connection$, (status) => status === 'open', 'the realtime connection')
    const { settled } = polls.vote(poll, 'red')
    assert.equal((await settled).status, 'confirmed')
    await waitFor(votes$, (votes) => votes.length === 1 && votes[0]!.choice === 'red', 'the vote, live')

    await kit.dispose()
    assert.equal(polls.disposed, true)
  })
})
