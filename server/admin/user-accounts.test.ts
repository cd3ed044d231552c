import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { DeepstreamClient } from '@deepstream/client'
import { DEMO_PASSWORD } from '../db/seed.ts'
import { httpCall } from '../testing/http-call.ts'
import { connectClient, sleep, within } from '../testing/realtime-clients.ts'
import { runServerCommand, startServerProcess, type ServerProcess } from '../testing/server-process.ts'
import { testEnv } from '../testing/test-env.ts'

/**
 * `rtkit-server users …` as child processes of the bin, against a running
 * server (its data folder; the server keeps running and its deepstream
 * closes the sockets) and against the data folder with no server.
 */

const dir = mkdtempSync(join(tmpdir(), 'rtkit-users-'))
const env = testEnv({ RTKIT_DATA_DIR: dir })
let server: ServerProcess

const users = (args: string[], input = '') => runServerCommand(['users', ...args], env, input)
const signIn = (username: string, password: string) =>
  httpCall<{ token: string }>(server.apiUrl, 'POST', '/auth/login', { body: { username, password } })
const me = (token: string) => httpCall(server.apiUrl, 'GET', '/auth/me', { token })

async function tokenOf(username: string, password: string): Promise<string> {
  const login = await signIn(username, password)
  assert.equal(login.status, 200, `sign-in as ${username}`)
  return login.body.token
}

/** Resolves when the client's socket is no longer open (the server closed it). */
function closing(client: DeepstreamClient): Promise<string> {
  return within(
    15_000,
    'the server to close the socket',
    new Promise<string>((resolve) => client.on('connectionStateChanged', (state: string) => state !== 'OPEN' && resolve(state))),
  )
}

/** Polls until `token` is refused: another process may answer from its session cache for up to 5 s. */
async function refused(token: string): Promise<number> {
  return within(
    15_000,
    'the token to be refused',
    (async () => {
      for (;;) {
        const { status } = await me(token)
        if (status !== 200) return status
        await sleep(200)
      }
    })(),
  )
}

before(async () => {
  server = await startServerProcess({ RTKIT_DATA_DIR: dir, RTKIT_SEED: 'true' })
})

after(async () => {
  await server.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('rtkit-server users, against a running server', () => {
  it('adds an account with the password from standard input, and lists it', async () => {
    const added = await users(['add', 'carol', '--display-name', 'Carol Cruz'], 'carol-password\n')
    assert.equal(added.status, 0, added.stderr)
    assert.match(added.stdout, /^added carol \(/)
    await tokenOf('carol', 'carol-password')
    const list = await users(['list'])
    assert.equal(list.status, 0, list.stderr)
    assert.match(list.stdout, /^alice\tactive\t/m)
    assert.match(list.stdout, /^carol\tactive\t[0-9a-f-]{36}\tCarol Cruz$/m)
  })

  it('refuses a taken name, a password or name against the rules, and no password, writing nothing', async () => {
    const cases: Array<[string[], string, RegExp]> = [
      [['add', 'carol'], 'another-password\n', /username carol is taken/],
      [['add', 'dave'], 'short\n', /password: must be at least 8 characters/],
      [['add', 'd'], 'dave-password\n', /username: must be 3–32 letters/],
      [['add', 'dave'], '', /no password on standard input/],
      [['revoke', 'nobody'], '', /no user nobody/],
    ]
    const results = await Promise.all(cases.map(([args, input]) => users(args, input)))
    results.forEach((result, index) => {
      const [args, , message] = cases[index]!
      assert.equal(result.status, 1, `${args.join(' ')}: ${result.stdout}`)
      assert.match(result.stderr, message, args.join(' '))
    })
    assert.doesNotMatch((await users(['list'])).stdout, /^(dave|d)\t/m)
    await tokenOf('carol', 'carol-password')
  })

  it('revoke ends every token and socket of the user at once; signing in again works', async () => {
    const socketToken = await tokenOf('carol', 'carol-password')
    const httpToken = await tokenOf('carol', 'carol-password')
    const socket = await connectClient(server.realtimeUrl, socketToken)
    const alice = await connectClient(server.realtimeUrl, await tokenOf('alice', DEMO_PASSWORD))
    try {
      assert.equal((await me(httpToken)).status, 200) // cached as live by the server for 5 s
      const closed = closing(socket.client)
      const revoked = await users(['revoke', 'carol'])
      assert.equal(revoked.status, 0, revoked.stderr)
      assert.notEqual(await closed, 'OPEN')
      assert.equal(await refused(httpToken), 401)
      assert.equal(await refused(socketToken), 401)
      await assert.rejects(connectClient(server.realtimeUrl, socketToken))
      // Another user's socket stays open; a new sign-in works.
      assert.equal(alice.client.getConnectionState(), 'OPEN')
      assert.equal((await me(await tokenOf('carol', 'carol-password'))).status, 200)
    } finally {
      socket.close()
      alice.close()
    }
  })

  it('disable blocks sign-in and closes the sockets', async () => {
    const socket = await connectClient(server.realtimeUrl, await tokenOf('carol', 'carol-password'))
    try {
      const closed = closing(socket.client)
      const disabled = await users(['disable', 'carol'])
      assert.equal(disabled.status, 0, disabled.stderr)
      await closed
      assert.equal((await signIn('carol', 'carol-password')).status, 401)
      assert.match((await users(['list'])).stdout, /^carol\tdisabled\t/m)
    } finally {
      socket.close()
    }
  })

  it('set-password replaces the password', async () => {
    const token = await tokenOf('bob', DEMO_PASSWORD)
    const set = await users(['set-password', 'bob'], 'bobs-new-password\n')
    assert.equal(set.status, 0, set.stderr)
    assert.equal((await signIn('bob', DEMO_PASSWORD)).status, 401)
    await tokenOf('bob', 'bobs-new-password')
    assert.equal(await refused(token), 401)
  })
})

describe('rtkit-server users, against the data folder with no server', () => {
  it('adds an account the server then signs in', async () => {
    await server.stop()
    const added = await users(['add', 'erin'], 'erin-password\n')
    assert.equal(added.status, 0, added.stderr)
    assert.match((await users(['list'])).stdout, /^erin\tactive\t/m)
    server = await startServerProcess({ RTKIT_DATA_DIR: dir, RTKIT_SEED: 'true' })
    await tokenOf('erin', 'erin-password')
    assert.equal((await signIn('carol', 'carol-password')).status, 401) // still disabled
  })

  it('adds the first account into a data folder the server never started on', async () => {
    const fresh = testEnv({ RTKIT_DATA_DIR: join(dir, 'fresh') })
    const added = await runServerCommand(['users', 'add', 'root'], fresh, 'root-password\n')
    assert.equal(added.status, 0, added.stderr)
    assert.match((await runServerCommand(['users', 'list'], fresh)).stdout, /^root\tactive\t/)
  })
})
