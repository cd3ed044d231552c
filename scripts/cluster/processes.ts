import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'

/** A child process the local cluster started and will stop. */
export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  /** The last lines of its output (stdout and stderr), for error messages. */
  output(): string
  /** Settles with the exit code (or the signal's name) once it has exited. */
  readonly exited: Promise<number | string>
  /** Sends `signal` (SIGKILL, SIGSTOP, SIGCONT… for fault tests). */
  signal(signal: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>
}

/** Options of {@link startProcess}. */
export interface ProcessOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
  /** Passes its stderr through to this process's stderr (`npm run cluster`); tests keep it. */
  forward?: boolean
  /** Opens an IPC channel: a Node child can stop when this process goes away. */
  ipc?: boolean
  /** Called with each chunk of stdout (a ready line). */
  onStdout?(chunk: string): void
  /** Written to its standard input, which is then closed: how a secret reaches it without showing in `ps`. */
  stdin?: string
}

const OUTPUT_KEPT = 16_384
const running = new Set<ChildProcess>()

// Whatever ends this process (an exception, process.exit, a failed test
// run), it takes its children along: a synchronous SIGKILL on the way out.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Starts `command` and keeps hold of it: its output (the tail), its exit, a
 * stop that escalates to SIGKILL. Every process started here is killed when
 * this process exits, even on a crash.
 */
export function startProcess(name: string, command: string, args: readonly string[], options: ProcessOptions = {}): ManagedProcess {
  const input = options.stdin === undefined ? 'ignore' : 'pipe'
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.ipc ? [input, 'pipe', 'pipe', 'ipc'] : [input, 'pipe', 'pipe'],
  })
  if (child.pid === undefined) throw new Error(`${name} did not start (${command})`)
  if (options.stdin !== undefined) {
    child.stdin!.on('error', () => undefined) // a child that exits at once closes the pipe
    child.stdin!.end(options.stdin)
  }
  running.add(child)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT)
  }
  child.stdout!.on('data', (chunk: Buffer) => {
    keep(chunk)
    options.onStdout?.(chunk.toString())
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    keep(chunk)
    if (options.forward) process.stderr.write(chunk)
  })
  // An IPC channel to a child that died must not throw here.
  child.on('error', () => undefined)
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve(code ?? signal ?? 'unknown')
    })
  })
  let gone = false
  void exited.then(() => (gone = true))
  return {
    name,
    pid: child.pid,
    output: () => output,
    exited,
    signal: (signal) => {
      if (!gone) child.kill(signal)
    },
    async stop(graceMs = 5_000) {
      if (gone) return
      child.kill('SIGCONT') // a paused process cannot handle SIGTERM
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}
