import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { firstValueFrom, filter, type Observable } from 'rxjs'
import type { Doc, TaskFields } from '../../contracts/index.ts'
// Tests may start the bundled server in-process; services source never imports server code.
import { startHostIdp, type HostIdp } from '../../server/testing/host-idp.ts'
import { startTestStack, type TestStack } from '../../server/testing/test-stack.ts'
import { createKit } from '../create-kit.ts'
import { HostManagedSessionError } from '../effects/session-effects.ts'
import type { Kit } from '../kit.ts'
import { MemoryStorage } from '../storage/memory-storage.ts'
import { waitFor } from '../testing/wait.ts'
import { hostTokenSource, refreshDelayMs, tokenClaims } from './host-token.ts'
import { tasksOf } from '../index.ts'

// A kit embedded in a host app: tokens come from the host's endpoint, the
// kit signs in with them, refreshes them before they expire without dropping
// the realtime session, and signs out when the host says nobody is there.

let idp: HostIdp
let stack: TestStack
const kits: Kit[] = []

before(async () => {
  idp = await startHostIdp()
  stack = await startTestStack(idp.env())
})
after(async () => {
  for (const kit of kits) await kit.dispose()
  await stack?.close()
  await idp?.close()
})

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s

function hostKit(endpoint: () => Promise<string | null>): Kit {
  const kit = createKit({ apiUrl: stack.apiUrl, realtimeUrl: stack.realtimeUrl, storage: new MemoryStorage(), authEndpoint: endpoint })
  kits.push(kit)
  return kit
}

function first<T>(source$: Observable<T>, predicate: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  return waitFor(source$, predicate, what, ms)
}

describe('a kit with an auth endpoint', () => {
  it('signs the host user in from the endpoint, with the name from the token, and refuses its own login form', async () => {
    const kit = hostKit(async () => idp.sign({ sub: 'host-jo', name: 'Jo Host' }))
    assert.equal(kit.authMode, 'host')
    const session = await first(kit.session$, (s) => s.status === 'signedIn', 'the host sign-in')
    assert.deepEqual(session.user, { id: 'host:host-jo', username: 'host-jo', name: 'Jo Host' })
    await assert.rejects(kit.login('alice', 'rtkit-demo'), HostManagedSessionError)
  })

  it('stays signed out when the host has nobody signed in', async () => {
    const kit = hostKit(async () => null)
    await first(kit.session$, (s) => s.status === 'signedOut', 'signed out')
  })

  it('refreshes the token before it expires without dropping the realtime connection or a live query', async () => {
    let issued = 0
    const kit = hostKit(async () => {
      issued++
      // Each token lives 10 seconds, so the kit must refresh it to stay signed in (2 s before its expiry: room for a busy machine).
      return idp.sign({ sub: 'host-kim', name: 'Kim', exp: inSeconds(10) }, { noExpiry: true })
    })
    await first(kit.connection$, (status) => status === 'open', 'the realtime connection')
    const statuses: string[] = []
    const watching = kit.connection$.subscribe((status) => statuses.push(status))
    const board = `refresh-${randomUUID().slice(0, 8)}`
    const tasks$ = tasksOf(kit).tasks$(board)
    const held = tasks$.subscribe()
    await first(tasks$, () => true, 'the board')
    await new Promise((resolve) => setTimeout(resolve, 12_000)) // past the first token's expiry
    const { token } = await stack.login('alice')
    const title = `after the refresh ${randomUUID().slice(0, 8)}`
    const created = await stack.api('POST', '/collections/tasks', {
      token,
      body: { id: randomUUID(), board, title, status: 'todo', order: 1 },
    })
    assert.equal(created.status, 201)
    await first(tasks$, (tasks) => tasks.some((task: Doc<TaskFields>) => task.title === title), 'the task, live')
    assert.ok(issued >= 2, `the endpoint gave ${issued} token(s)`)
    assert.deepEqual([...new Set(statuses)], ['open'], `the connection went ${statuses.join(' → ')}`)
    assert.equal((await firstValueFrom(kit.session$)).status, 'signedIn')
    held.unsubscribe()
    watching.unsubscribe()
  })

  it('signs out cleanly when the endpoint answers that nobody is signed in any more', async () => {
    let signedInAtHost = true
    const kit = hostKit(async () =>
      signedInAtHost ? idp.sign({ sub: 'host-lee', name: 'Lee', exp: inSeconds(3) }, { noExpiry: true }) : null,
    )
    await first(kit.session$, (s) => s.status === 'signedIn', 'the host sign-in')
    signedInAtHost = false
    await first(kit.session$.pipe(filter((s) => s.status === 'signedOut')), () => true, 'signed out at the refresh', 8_000)
    assert.deepEqual(await firstValueFrom(kit.errors$), [], 'a sign-out at the host is not an error')
  })

  it('revokes the token on the server when the user signs out', async () => {
    let token = ''
    const kit = hostKit(async () => (token = idp.sign({ sub: 'host-mo', name: 'Mo' })))
    await first(kit.session$, (s) => s.status === 'signedIn', 'the host sign-in')
    await kit.logout()
    await first(kit.session$, (s) => s.status === 'signedOut', 'signed out')
    const me = await stack.api('GET', '/auth/me', { token })
    assert.equal(me.status, 401)
  })
})

describe('the token endpoint', () => {
  it('fetches { token } from a URL, takes 401 as signed out, and throws on anything else', async () => {
    let answer: [number, string] = [200, JSON.stringify({ token: 'a.b.c' })]
    const server = createServer((_request, response) => {
      response.writeHead(answer[0], { 'content-type': 'application/json' })
      response.end(answer[1])
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const source = hostTokenSource(`http://127.0.0.1:${(server.address() as AddressInfo).port}/rtkit/token`)
    try {
      assert.equal(await source(), 'a.b.c')
      answer = [401, '{}']
      assert.equal(await source(), null)
      answer = [500, '{}']
      await assert.rejects(source())
      answer = [200, JSON.stringify({ nope: true })]
      await assert.rejects(source())
    } finally {
      server.close()
    }
  })

  it('reads exp and sub without verifying, and refreshes a fifth of the lifetime before expiry, at most a minute before', () => {
    assert.deepEqual(tokenClaims(idp.sign({ sub: 'x', exp: 2_000_000_000 }, { noExpiry: true })), { exp: 2_000_000_000, sub: 'x' })
    assert.deepEqual(tokenClaims('garbage'), {})
    assert.equal(refreshDelayMs(100, 90_000), 8_000)
    assert.equal(refreshDelayMs(1_000, 0), 940_000)
    assert.equal(refreshDelayMs(10, 20_000), 0)
  })
})
