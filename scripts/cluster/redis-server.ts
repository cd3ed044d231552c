import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { findBinary } from './binaries.ts'
import { freePort } from './ports.ts'
import { startProcess, type ManagedProcess } from './processes.ts'

/** A redis-server this process started, on loopback. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` for `RTKIT_REDIS_URL`: no credentials in it, so it may be printed. */
  readonly url: string
  readonly port: number
  /** The password every client must give (`AUTH`), for `RTKIT_REDIS_PASSWORD`. Never print it. */
  readonly password: string
  /** The process id of the running server (it changes on {@link restart}). */
  readonly pid: number
  /** SIGSTOP: Redis stops answering but keeps its connections, like a stalled host (fault tests). */
  pause(): void
  /** SIGCONT after {@link pause}. */
  resume(): void
  /** Stops it and starts a fresh, empty one on the same port; resolves once it answers (fault tests). */
  restart(downMs?: number): Promise<void>
  stop(): Promise<void>
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  host?: string
  port?: number
  /** What clients must `AUTH` with; a random one when not given. */
  password?: string
}

/**
 * Starts Debian's `redis-server` on a free loopback port, in memory only
 * (no RDB, no AOF: the cluster bus and the lease need no durability), with
 * a password (`requirepass`: a client that has not sent `AUTH` gets
 * `NOAUTH` for every command), and resolves once it answers PING.
 *
 * The password reaches redis-server as configuration on its standard input
 * (`redis-server -`), not as an argument, which any local user could read
 * in `ps`.
 *
 * @throws {MissingBinaryError} when redis-server is not installed.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findBinary('redis-server', 'redis-server')
  const host = options.host ?? '127.0.0.1'
  const port = options.port || (await freePort(host))
  const password = options.password ?? randomBytes(24).toString('base64url')
  if (!/^[\w-]+$/.test(password)) throw new Error('the Redis password must be letters, digits, "-" and "_"')
  const launch = async (): Promise<ManagedProcess> => {
    // `-`: redis-server also reads configuration from its standard input, where the password comes.
    const inMemory = ['--save', '', '--appendonly', 'no']
    const args = ['-', '--bind', host, '--port', String(port), ...inMemory, '--daemonize', 'no', '--loglevel', 'warning']
    const server = startProcess('redis-server', binary, args, { stdin: `requirepass ${password}\n` })
    try {
      await answersPing(host, port, password, server)
    } catch (error) {
      await server.stop()
      throw error
    }
    return server
  }
  let server = await launch()
  return {
    url: `redis://${host}:${port}`,
    port,
    password,
    get pid() {
      return server.pid
    },
    pause: () => server.signal('SIGSTOP'),
    resume: () => server.signal('SIGCONT'),
    async restart(downMs = 0) {
      await server.stop()
      if (downMs) await new Promise((resolve) => setTimeout(resolve, downMs))
      server = await launch()
    },
    stop: () => server.stop(),
  }
}

async function answersPing(host: string, port: number, password: string, server: ManagedProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exitCode: number | string | undefined
  void server.exited.then((code) => (exitCode = code))
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`redis-server exited (${exitCode}): ${server.output()}`)
    const pong = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port })
      socket.setTimeout(500, () => (socket.destroy(), resolve(false)))
      socket.once('error', () => resolve(false))
      socket.once('connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`))
      let answer = ''
      socket.on('data', (data) => {
        answer += data.toString()
        if (!answer.includes('\r\n', answer.indexOf('\r\n') + 2)) return // both replies
        socket.destroy()
        resolve(answer === '+OK\r\n+PONG\r\n')
      })
    })
    if (pong) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server did not answer on ${host}:${port} within ${timeoutMs} ms: ${server.output()}`)
}
