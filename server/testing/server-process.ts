import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startProcess, type ManagedProcess } from '../../scripts/cluster/processes.ts'
import { testEnv } from './test-env.ts'

/**
 * `rtkit-server` as an operator runs it, for the tests of its commands: the
 * bin (`server/start.ts`) in a child process, serving or doing one command.
 */

const BIN = fileURLToPath(new URL('../start.ts', import.meta.url))
const TSX = import.meta.resolve('tsx')
/** The longest one command may take (tsx compiles the server on a shared, busy machine). */
const COMMAND_TIMEOUT_MS = 90_000

export interface CommandResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `rtkit-server <args>` to its end, with `input` on its standard input. */
export function runServerCommand(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdin.on('error', () => undefined)
    child.stdin.end(input)
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS)
    child.on('error', reject)
    // 'close', not 'exit': once its output has been read to the end.
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

/** A serving `rtkit-server` child and the URLs of its ready line. */
export interface ServerProcess {
  readonly process: ManagedProcess
  readonly apiUrl: string
  readonly realtimeUrl: string
  stop(): Promise<void>
}

/** Starts `rtkit-server` on `env` (test defaults: loopback, free ports, demo data) and waits for its ready line. */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  let ready: (line: string) => void
  const readyLine = new Promise<string>((resolve) => (ready = resolve))
  let stdout = ''
  const child = startProcess('rtkit-server', process.execPath, ['--import', TSX, BIN], {
    env: testEnv(env),
    onStdout: (chunk) => {
      stdout += chunk
      const line = stdout.split('\n').find((text) => text.startsWith('rtkit ready '))
      if (line) ready(line)
    },
  })
  let timer: NodeJS.Timeout | undefined
  const line = await Promise.race([
    readyLine,
    child.exited.then((code) => Promise.reject(new Error(`rtkit-server exited (${code}) before it was ready:\n${child.output()}`))),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`rtkit-server was not ready in time:\n${child.output()}`)), COMMAND_TIMEOUT_MS)
    }),
  ])
    .catch(async (error: unknown) => {
      await child.stop() // not ready: nothing of it outlives the test
      throw error
    })
    .finally(() => clearTimeout(timer))
  const field = (name: string) =>
    line
      .split(' ')
      .find((part) => part.startsWith(`${name}=`))
      ?.slice(name.length + 1)
  const apiUrl = field('api')
  const realtimeUrl = field('realtime')
  if (!apiUrl || !realtimeUrl) {
    await child.stop()
    throw new Error(`unexpected ready line: ${line}`)
  }
  return { process: child, apiUrl, realtimeUrl, stop: () => child.stop(15_000) }
}
