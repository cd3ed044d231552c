import { ConfigError } from '../config.ts'

/**
 * Traps SIGINT and SIGTERM at once, before anything starts, and returns the
 * function that says how to stop. A signal then runs `stop` once and exits 0:
 * Ctrl-C stops every part cleanly. A signal that arrives while the parts are
 * still starting (a process manager can send one right after the ready line
 * is read) waits until `stop` is given, instead of killing the process
 * half-way with the default action. A second signal while stopping is ignored.
 *
 * @example
 * const stopWith = trapStopSignals()
 * const stack = await startStack()
 * console.log('rtkit ready …')
 * stopWith(stack.close)
 */
export function trapStopSignals(): (stop: () => Promise<void>) => void {
  let received: NodeJS.Signals | undefined
  let stopper: (() => Promise<void>) | undefined
  let stopping = false
  const run = async () => {
    if (stopping || !received || !stopper) return
    stopping = true
    console.log(`rtkit stopping (${received})`)
    await stopper()
    process.exit(0)
  }
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal
    void run()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return (stop) => {
    stopper = stop
    void run()
  }
}

/** Runs an entry point; a start-up failure prints a clear line (no stack for configuration errors) and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error)
    process.exit(1)
  })
}
