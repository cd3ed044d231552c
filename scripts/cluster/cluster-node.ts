import { fileURLToPath } from 'node:url'
import { startProcess, type ManagedProcess } from './processes.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** How long a node may take to drain and stop (`RTKIT_DRAIN_MS` is 10 s by default) before it is killed. */
const STOP_GRACE_MS = 30_000

/** One node of a local cluster: a separate `server/start.ts` process. */
export interface ClusterNode {
  /** `RTKIT_NODE_NAME`: deepstream's `serverName` and the lease holder's name. */
  readonly name: string
  /** The node's own gateway (behind the balancer); empty without the `api` role. */
  readonly apiUrl: string
  /** The node's own deepstream (behind the balancer); empty without the `realtime` role. */
  readonly realtimeUrl: string
  /** The running process's id; it changes when the node is started again. */
  readonly pid: number
  /** Whether its process is running. */
  readonly running: boolean
  /** The last lines of its output (its log), for failure messages. */
  output(): string
  /**
   * Sends `signal` to the process (SIGKILL for a crash, SIGTERM for a clean
   * stop) and resolves with its exit code (or the signal's name) once it has exited.
   */
  kill(signal?: NodeJS.Signals): Promise<number | string>
  /** Starts the node again on the same ports, after {@link kill}. */
  start(): Promise<void>
  /** SIGTERM (SIGKILL after a grace period that outlasts the node's drain); resolves once it has exited. */
  stop(): Promise<void>
}

/** Options of {@link startClusterNode}. */
export interface ClusterNodeOptions {
  name: string
  /** The node's whole environment (roles, Redis, database, secret, ports). */
  env: NodeJS.ProcessEnv
  /** Passes the node's log (stderr) through. */
  forwardLogs?: boolean
  startTimeoutMs?: number
}

/**
 * Starts `server/start.ts` with `env` and resolves with the URLs of its
 * ready line. The node gets an IPC channel, so it stops when this process
 * goes away, however that happens.
 */
export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  let env: NodeJS.ProcessEnv = { ...options.env, RTKIT_NODE_NAME: options.name }
  let current: { process: ManagedProcess; ready: Record<string, string> }
  const launch = async () => {
    let lines = ''
    let markReady!: (ready: Record<string, string>) => void
    const ready = new Promise<Record<string, string>>((resolve) => (markReady = resolve))
    const process = startProcess(options.name, globalThis.process.execPath, ['--import', 'tsx', 'server/start.ts'], {
      cwd: root,
      env,
      ipc: true,
      ...(options.forwardLogs ? { forward: true } : {}),
      onStdout: (chunk) => {
        lines += chunk
        const line = /^rtkit ready (.*)$/m.exec(lines)?.[1]
        if (line) markReady(Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string])))
      },
    })
    const timeoutMs = options.startTimeoutMs ?? 60_000
    let timer: NodeJS.Timeout | undefined
    let settled = false
    const exitedEarly = process.exited.then((code) => {
      if (!settled) throw new Error(`node ${options.name} exited (${code}) before it was ready:\n${process.output()}`)
    })
    exitedEarly.catch(() => undefined)
    try {
      const urls = await Promise.race([
        ready,
        exitedEarly as Promise<never>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`node ${options.name} printed no ready line within ${timeoutMs} ms:\n${process.output()}`)),
            timeoutMs,
          )
        }),
      ])
      current = { process, ready: urls }
    } catch (error) {
      await process.stop()
      throw error
    } finally {
      settled = true
      clearTimeout(timer)
    }
  }
  await launch()
  const apiUrl = current!.ready.api ?? ''
  const realtimeUrl = current!.ready.realtime ?? ''
  // Later starts keep the ports, so the balancer's configuration stays true.
  if (apiUrl) env = { ...env, RTKIT_API_PORT: new URL(apiUrl).port }
  if (realtimeUrl) env = { ...env, RTKIT_REALTIME_PORT: new URL(realtimeUrl).port }
  let running = true
  return {
    name: options.name,
    apiUrl,
    realtimeUrl,
    get pid() {
      return current.process.pid
    },
    get running() {
      return running
    },
    output: () => current.process.output(),
    async kill(signal = 'SIGKILL') {
      running = false
      current.process.signal(signal)
      return current.process.exited
    },
    async start() {
      if (running) return
      await launch()
      running = true
    },
    async stop() {
      running = false
      await current.process.stop(STOP_GRACE_MS)
    },
  }
}
