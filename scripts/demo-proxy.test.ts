import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { startDemoServer, type DemoServer } from '../demo/dev-server.ts'
import { startTestStack, type TestStack } from '../server/testing/test-stack.ts'

// `npm start`'s demo page proxies /api to the gateway. Without the client's
// address passed on, every visitor was one address to the sign-in throttle,
// so a guesser on the page locked the owner out. Clients here come from
// different loopback addresses (127.0.0.2, 127.0.0.3), as visitors would
// from different machines.

let stack: TestStack
let demo: DemoServer

before(async () => {
  // What scripts/start.ts sets when it runs the demo page.
  stack = await startTestStack({ RTKIT_TRUST_PROXY: 'loopback' })
  demo = await startDemoServer({ apiUrl: stack.apiUrl, realtimeUrl: stack.realtimeUrl, host: '127.0.0.1', port: 0 })
})
after(async () => {
  await demo?.close()
  await stack?.close()
})

/** POST through the demo page's proxy from `localAddress`; resolves the status. */
function post(path: string, body: unknown, localAddress: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(`api${path}`, demo.url),
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers }, timeout: 10_000 },
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer')))
    outgoing.on('error', reject)
    outgoing.end(JSON.stringify(body))
  })
}

async function registered(from: string): Promise<string> {
  const username = `demo${Math.random().toString(36).slice(2, 10)}`
  assert.equal(await post('/auth/register', { username, password: 'the right one', name: 'Demo' }, from), 201)
  return username
}

/** Six wrong passwords for `username` from `from`; resolves their statuses. */
async function guess(username: string, from: string, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push(await post('/auth/login', { username, password: 'not the password' }, from, headers))
  return statuses
}

describe('the demo page’s proxy', () => {
  it('passes each visitor’s address on: a guesser on the page does not lock the owner out', async () => {
    const username = await registered('127.0.0.3')
    assert.deepEqual(await guess(username, '127.0.0.2'), [401, 401, 401, 401, 401, 429])
    assert.equal(await post('/auth/login', { username, password: 'the right one' }, '127.0.0.3'), 200)
  })

  it('appends the real address, so a guesser naming the owner’s address counts against its own', async () => {
    const username = await registered('127.0.0.3')
    assert.deepEqual(await guess(username, '127.0.0.4', { 'x-forwarded-for': '127.0.0.3' }), [401, 401, 401, 401, 401, 429])
    assert.equal(await post('/auth/login', { username, password: 'the right one' }, '127.0.0.3'), 200)
  })
})
