import { ConfigError } from '../config.ts'

/** How long stopping may take before the process exits anyway. */
const STOP_DEADLINE_MS = 15_000

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits 0: Ctrl-C, a process
 * manager or a container runtime stops every part cleanly (the embedded
 * database writes its final snapshot, ports are freed). A second signal
 * while stopping is ignored; a stop that hangs or fails exits 1 after at
 * most {@link STOP_DEADLINE_MS} (the database journal is on disk already).
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`rtkit stopping (${signal})`)
    setTimeout(() => {
      console.error(`rtkit: stopping took over ${STOP_DEADLINE_MS / 1000} s; exiting`)
      process.exit(1)
    }, STOP_DEADLINE_MS).unref()
    try {
      await stop()
    } catch (error) {
      console.error('rtkit: stopping failed', error)
      process.exit(1)
    }
    process.exit(0)
  }
  process.on('SIGINT', (signal) => void onSignal(signal))
  process.on('SIGTERM', (signal) => void onSignal(signal))
}

/** Runs an entry point; a start-up failure prints a clear line (no stack for configuration errors) and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error)
    process.exit(1)
  })
}
