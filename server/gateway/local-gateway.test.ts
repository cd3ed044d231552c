import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'
import { injectFault } from '../db/fault-points.ts'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { GATEWAY_BODY_CAP, startGateway, type ConnectionLimits, type RunningGateway } from './local-gateway.ts'

// The gateway's own protections, each tested where nothing behind it could
// stand in for it: the handler's 413 cannot answer a body that never ends,
// and the request timeout is set far beyond the wait of the header test.

/** A gateway with no stack behind it: these requests never reach a handler. */
async function bareGateway(limits: Partial<ConnectionLimits> = {}): Promise<RunningGateway> {
  return startGateway({ host: '127.0.0.1', port: 0, corsOrigin: '', timeoutMs: 1_000, limits })
}

function open(gateway: RunningGateway): Promise<net.Socket> {
  const url = new URL(gateway.url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => resolve(socket))
    socket.on('error', reject)
  })
}

/** Whether `socket` closes within `ms` (a bounded wait, not a measurement). */
function closes(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true)
    const timer = setTimeout(() => resolve(false), ms)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

describe('the gateway caps what it reads of a body', () => {
  let gateway: RunningGateway
  before(async () => {
    gateway = await bareGateway()
  })
  after(() => gateway.close())

  it('answers 413 and closes once a body passes its cap, without waiting for the rest', async () => {
    const socket = await open(gateway)
    socket.on('error', () => undefined)
    let answer = ''
    socket.on('data', (chunk: Buffer) => void (answer += chunk.toString('latin1')))
    // 64 MiB announced; only a little over the cap is ever sent, and the body never ends.
    socket.write(
      'POST /collections/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' + `Content-Length: ${64 * 1024 * 1024}\r\n\r\n`,
    )
    socket.write(Buffer.alloc(GATEWAY_BODY_CAP + 64 * 1024, 'z'))
    try {
      assert.equal(await closes(socket, 5_000), true, 'the gateway kept reading a body past its cap')
      assert.match(answer, /^HTTP\/1\.1 413 /)
      assert.match(answer, /payload_too_large/)
    } finally {
      socket.destroy()
    }
  })
})

describe('the header timeout, on its own', () => {
  let gateway: RunningGateway
  before(async () => {
    // The request timeout is far beyond this test's wait: only the header timeout can close the socket in time.
    gateway = await bareGateway({ headersTimeoutMs: 500, requestTimeoutMs: 600_000 })
  })
  after(() => gateway.close())

  it('closes a connection whose headers keep dripping in', async () => {
    const socket = await open(gateway)
    socket.on('error', () => undefined)
    socket.write('GET /auth/me HTTP/1.1\r\nHost: x\r\n')
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200)
    try {
      assert.equal(await closes(socket, 5_000), true, 'the socket was still open after 5 s')
    } finally {
      clearInterval(drip)
      socket.destroy()
    }
  })
})

describe('a handler past its timeout', () => {
  let stack: TestStack
  before(async () => {
    stack = await startTestStack({ RTKIT_HANDLER_TIMEOUT_MS: '2000' })
  })
  after(() => stack.close())

  it('is answered 504 and abandoned: it writes nothing after the answer', async () => {
    const { token } = await stack.login('alice')
    const task = { id: randomUUID(), board: 'timeout', title: 'Too late', status: 'todo', order: 1 }
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    // The insert waits, right before its write, until the client has its 504.
    const remove = injectFault('insert:before-write', () => held)
    const logs = captureLogs()
    try {
      const answer = await stack.api('POST', '/collections/tasks', { token, body: task })
      assert.equal(answer.status, 504)
      release()
      const finished = () => logs.lines.some((line) => line.requestId === answer.headers.get('x-request-id') && line.route)
      for (let waited = 0; !finished() && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50))
      assert.ok(finished(), 'the gateway reports the abandoned handler when it finishes')
      assert.deepEqual(
        (await stack.rows('tasks')).filter((row) => row.id === task.id),
        [],
        'the abandoned handler wrote after its 504',
      )
    } finally {
      release()
      remove()
      logs.restore()
    }
  })
})
