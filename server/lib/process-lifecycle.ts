import { ConfigError } from '../config.ts'

/** The settings that choose the ports a start listens on, named when one is taken. */
const PORT_SETTINGS = 'RTKIT_API_PORT, RTKIT_REALTIME_PORT, RTKIT_OPS_PORT and RTKIT_DEMO_PORT'

/** How long stopping may take before the process exits anyway, unless the caller says how long its draining may take. */
const STOP_DEADLINE_MS = 15_000

/**
 * Traps SIGINT and SIGTERM at once, before anything starts, and returns the
 * function that says how to stop. A signal then runs `stop` once and exits 0:
 * Ctrl-C stops every part cleanly. A signal that arrives while the parts are
 * still starting (a process manager can send one right after the ready line
 * is read) waits until `stop` is given, instead of killing the process
 * half-way with the default action. Stopping lets the embedded database
 * write its final snapshot and frees the ports. A second signal while
 * stopping is ignored; a stop that hangs or fails exits 1 after at most
 * {@link STOP_DEADLINE_MS} past the `drainMs` given (the database journal is on disk already).
 *
 * @example
 * const stopWith = trapStopSignals()
 * const stack = await startStack()
 * console.log('rtkit ready …')
 * stopWith(stack.close, stack.config.drainMs)
 */
export function trapStopSignals(): (stop: () => Promise<void>, drainMs?: number) => void {
  let received: NodeJS.Signals | undefined
  let stopper: (() => Promise<void>) | undefined
  let deadlineMs = STOP_DEADLINE_MS
  let stopping = false
  const run = async () => {
    if (stopping || !received || !stopper) return
    stopping = true
    console.log(`rtkit stopping (${received})`)
    setTimeout(() => {
      console.error(`rtkit: stopping took over ${deadlineMs / 1000} s; exiting`)
      process.exit(1)
    }, deadlineMs).unref()
    try {
      await stopper()
    } catch (error) {
      console.error('rtkit: stopping failed', error)
      process.exit(1)
    }
    process.exit(0)
  }
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal
    void run()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return (stop, drainMs = 0) => {
    stopper = stop
    deadlineMs = STOP_DEADLINE_MS + drainMs
    void run()
  }
}

/** An error whose message is written for the operator (a damaged data file): printed without a stack. */
function exposed(error: unknown): error is Error {
  return error instanceof Error && (error as { expose?: unknown }).expose === true
}

/** The address of a listen that failed because another process holds it, from `error` or its cause. */
function addressInUse(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const { code, address, port } = cause as NodeJS.ErrnoException & { address?: string; port?: number }
    if (code === 'EADDRINUSE') return address !== undefined && port !== undefined ? `${address}:${port}` : 'a port'
  }
  return undefined
}

/**
 * Runs an entry point; a start-up failure prints a clear line (no stack for
 * configuration errors, damaged data and a port another process holds) and
 * exits 1.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const inUse = addressInUse(error)
    if (error instanceof ConfigError) console.error(`configuration error: ${error.message}`)
    else if (inUse) console.error(`rtkit: cannot listen on ${inUse}: another process is using it (${PORT_SETTINGS} choose the ports)`)
    else if (exposed(error)) console.error(`rtkit: ${error.message}`)
    else console.error(error)
    process.exit(1)
  })
}
