import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import type * as DeepstreamModule from '@deepstream/client'
import { login, within } from '../server/testing/realtime-clients.ts'
import { startTestStack, type TestStack } from '../server/testing/test-stack.ts'
import { deepstreamClientModule } from './deepstream-browser.mjs'

/**
 * rtkit's build of the deepstream client against the real server: the module
 * the browser builds carry, imported as a page would (with `ws` as the
 * global WebSocket, since Node.js 20 has none), logs in, receives the
 * bridge's events and answers presence. The browser suites run it too
 * (web-test-runner.config.mjs serves it); this checks the build itself.
 */
const folder = mkdtempSync(join(tmpdir(), 'rtkit-deepstream-build-'))
let stack: TestStack
let client: DeepstreamModule.DeepstreamClient | undefined
let code: string
let module: Pick<typeof DeepstreamModule, 'DeepstreamClient' | 'C'>

before(async () => {
  code = await deepstreamClientModule()
  writeFileSync(join(folder, 'deepstream-client.mjs'), code)
  // Node.js 20 has no global WebSocket: the `ws` package (the client package's own dependency) stands in, as rtkit/services does.
  ;(globalThis as { WebSocket?: unknown }).WebSocket ??= ((await import('ws' as string)) as { default: unknown }).default
  module = (await import(join(folder, 'deepstream-client.mjs'))) as typeof module
  stack = await startTestStack()
})

after(async () => {
  client?.close()
  await stack?.close()
  rmSync(folder, { recursive: true, force: true })
})

describe("rtkit's build of the deepstream client", () => {
  it('has no eval, and is much smaller than the prebuilt browser build', () => {
    assert.doesNotMatch(code, /\beval\s*\(|\bFunction\s*\(/)
    const prebuilt = readFileSync(createRequire(import.meta.url).resolve('@deepstream/client/dist/bundle/ds.min.js'))
    assert.ok(gzipSync(code).length < gzipSync(prebuilt).length * 0.7, 'at least 30 % smaller')
  })

  it('logs in, receives the events of a partition and answers presence', async () => {
    const session = await login(stack, 'alice')
    const board = `build-${randomUUID()}`
    // Subscriptions sent at once, not batched on a timer, so that the presence answer below follows the subscription.
    client = new module.DeepstreamClient(stack.realtimeUrl, { subscriptionInterval: 0 })
    await within(5_000, 'login', client.login({ token: session.token }))
    assert.equal(client.getConnectionState(), module.C.CONNECTION_STATE.OPEN)
    const event = new Promise<{ op: string; doc: { title: string } }>((resolve) =>
      client!.event.subscribe(`tasks/${board}`, (data) => resolve(data as never)),
    )
    // Subscribed once the server acknowledged it: presence answers after the subscription on the same socket.
    assert.ok(Array.isArray(await within(5_000, 'presence', client.presence.getAll())))
    const created = await stack.api('POST', '/collections/tasks', {
      token: session.token,
      body: { id: randomUUID(), board, title: 'Through the build', status: 'todo', order: 1 },
    })
    assert.equal(created.status, 201)
    const received = await within(5_000, 'the bridge event', event)
    assert.equal(received.op, 'upsert')
    assert.equal(received.doc.title, 'Through the build')
  })

  it('leaves out what rtkit never uses: records and RPCs', () => {
    assert.equal(typeof (client!.record as unknown as { getRecord?: unknown }).getRecord, 'undefined')
    assert.equal(typeof (client!.rpc as unknown as { make?: unknown }).make, 'undefined')
  })
})
