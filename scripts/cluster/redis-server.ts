import net from 'node:net'
import { findBinary } from './binaries.ts'
import { freePort } from './ports.ts'
import { startProcess, type ManagedProcess } from './processes.ts'

/** A redis-server this process started, on loopback. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` for `RTKIT_REDIS_URL`. */
  readonly url: string
  readonly port: number
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

/**
 * Starts Debian's `redis-server` on a free loopback port, in memory only
 * (no RDB, no AOF: the cluster bus and the lease need no durability), and
 * resolves once it answers PING.
 *
 * @throws {MissingBinaryError} when redis-server is not installed.
 */
export async function startRedisServer(options: { host?: string; port?: number } = {}): Promise<RedisServer> {
  const binary = findBinary('redis-server', 'redis-server')
  const host = options.host ?? '127.0.0.1'
  const port = options.port || (await freePort(host))
  const launch = async (): Promise<ManagedProcess> => {
    const args = ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning']
    const server = startProcess('redis-server', binary, args)
    try {
      await answersPing(host, port, server)
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

async function answersPing(host: string, port: number, server: ManagedProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exitCode: number | string | undefined
  void server.exited.then((code) => (exitCode = code))
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`redis-server exited (${exitCode}): ${server.output()}`)
    const pong = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port })
      socket.setTimeout(500, () => (socket.destroy(), resolve(false)))
      socket.once('error', () => resolve(false))
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))))
    })
    if (pong) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server did not answer on ${host}:${port} within ${timeoutMs} ms: ${server.output()}`)
}
