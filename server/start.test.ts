import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { get } from 'node:http'
import { createServer, type Server } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { PROCESS_TITLE } from './realtime/realtime-server.ts'
import { runServerCommand, startServerProcess } from './testing/server-process.ts'
import { testEnv } from './testing/test-env.ts'

// `rtkit-server` as an operator meets it: how it says it cannot start (one line to act on,
// exit 1), and how the running process is found.

describe('a running rtkit-server', () => {
  it(
    'is named rtkit-server, for ps and pgrep, once deepstream has renamed it',
    { skip: !existsSync('/proc/self/cmdline') && 'no /proc' },
    async () => {
      const server = await startServerProcess({ RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0' })
      try {
        const commandLine = readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
        assert.equal(commandLine, PROCESS_TITLE)
      } finally {
        await server.stop()
      }
    },
  )
})

describe('rtkit-server told to stop', () => {
  it('answers GET /ready with 503 draining for a while before it stops listening, then exits 0', async () => {
    const server = await startServerProcess({ RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0' })
    try {
      // A new connection each time, as a balancer's health check makes.
      const ready = () =>
        new Promise<string>((resolve) => {
          const request = get(`${server.apiUrl}/ready`, { agent: false, timeout: 2_000 }, (response) => {
            let body = ''
            response.on('data', (chunk: Buffer) => (body += chunk.toString()))
            response.on('end', () => resolve(`${response.statusCode} ${(JSON.parse(body) as { status?: string }).status}`))
          })
          request.on('error', () => resolve('refused'))
          request.on('timeout', () => request.destroy())
        })
      assert.equal(await ready(), '200 ready')
      const exited = server.process.exited
      server.process.signal('SIGTERM')
      // What a balancer polling /ready sees of the stop, until the port is closed.
      const seen: string[] = []
      for (const deadline = Date.now() + 15_000; seen.at(-1) !== 'refused' && Date.now() < deadline;) {
        const answer = await ready()
        if (answer !== '200 ready') seen.push(answer)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const draining = seen.filter((answer) => answer === '503 draining').length
      assert.deepEqual(seen.slice(0, 2), ['503 draining', '503 draining'], `answers after SIGTERM: ${seen.join(', ')}`)
      assert.equal(draining, seen.length - 1, `only 503 draining before the port closed: ${seen.join(', ')}`)
      assert.equal(await exited, 0)
    } finally {
      await server.stop()
    }
  })
})

describe('rtkit-server on a port another process holds', () => {
  let holder: Server
  let port: number
  before(async () => {
    holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    port = (holder.address() as { port: number }).port
  })
  after(() => holder?.close())

  for (const setting of ['RTKIT_API_PORT', 'RTKIT_REALTIME_PORT']) {
    it(`says which address is taken, and how to choose another, in one line (${setting})`, async () => {
      const ports = { RTKIT_API_PORT: '0', RTKIT_REALTIME_PORT: '0', [setting]: String(port) }
      const result = await runServerCommand([], testEnv(ports))
      assert.equal(result.status, 1, result.stderr)
      assert.equal(
        result.stderr.trim(),
        `rtkit: cannot listen on 127.0.0.1:${port}: another process is using it ` +
          '(RTKIT_API_PORT, RTKIT_REALTIME_PORT, RTKIT_OPS_PORT and RTKIT_DEMO_PORT choose the ports)',
      )
    })
  }
})
