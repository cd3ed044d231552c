import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { describe, it } from 'node:test'
import WebSocket from 'ws'
import { GOING_AWAY } from '../realtime/index.ts'
import { startTestStack } from '../testing/test-stack.ts'

// What a node does when told to stop (SIGTERM and SIGINT run this same
// close): unready at once, no new connections, the request under way
// answered, and every realtime socket closed with "going away" (1001), so
// a client reconnects elsewhere instead of failing.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Whether a new TCP connection to `url`'s port is refused (nothing listens). */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^ws/, 'http'))
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'

describe('a node that stops', () => {
  it('answers 503 at once, takes no new connections, answers the request under way, and closes sockets with 1001', async () => {
    // Prepare: a signed-in user, a realtime socket, and a request whose body is half sent.
    const stack = await startTestStack()
    let closing: Promise<void> | undefined
    try {
      const { token } = await stack.login('alice')
      const realtime = new WebSocket(stack.realtimeUrl)
      await new Promise((resolve, reject) => realtime.once('open', resolve).once('error', reject))
      const closeCode = new Promise<number>((resolve) => realtime.once('close', (code) => resolve(code)))
      const body = Buffer.from(JSON.stringify({ id: randomUUID(), board: 'drain', title: 'Under way', status: 'todo', order: 1 }))
      const { hostname, port } = new URL(stack.apiUrl)
      const request = net.connect(Number(port), hostname)
      let answer = ''
      request.on('data', (chunk: Buffer) => void (answer += chunk.toString('latin1')))
      const ended = new Promise<void>((resolve) => request.once('close', () => resolve()))
      // `Expect: 100-continue`: the server's `100 Continue` says it has read the headers and the request is under way.
      request.write(
        `POST /collections/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      )
      for (const deadline = Date.now() + 10_000; !answer.startsWith(CONTINUE) && Date.now() < deadline;) await sleep(10)
      assert.equal(answer, CONTINUE, 'the server read the headers')
      answer = ''
      request.write(body.subarray(0, 10))

      // Act
      closing = stack.close()
      const report = await stack.readiness.report()
      for (const deadline = Date.now() + 5_000; !(await refused(stack.apiUrl)) && Date.now() < deadline;) await sleep(20)
      const apiRefuses = await refused(stack.apiUrl)
      const realtimeRefuses = await refused(stack.realtimeUrl)
      // write, not end: a client that half-closes its side gets its request aborted by Node's HTTP server.
      request.write(body.subarray(10))
      await ended
      await closing

      // Assess
      assert.equal(report.status, 'draining', '/ready answers 503 from the first moment')
      assert.ok(apiRefuses, 'the API takes no new connection while it drains')
      assert.ok(realtimeRefuses, 'deepstream takes no new connection while it drains')
      assert.match(answer, /^HTTP\/1\.1 201 /, `the request under way was answered: ${answer.slice(0, 80) || 'nothing'}`)
      assert.match(answer, /\r\nconnection: close\r\n/i, 'and its connection closed after the answer')
      assert.equal(await closeCode, GOING_AWAY, 'the realtime socket was closed with 1001, going away')
    } finally {
      await (closing ?? stack.close())
    }
  })
})
