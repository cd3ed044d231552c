import { ConfigError } from '../config.ts'

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits 0: Ctrl-C stops every
 * part cleanly. A second signal while stopping is ignored.
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.log(`rtkit stopping (${signal})`)
    await stop()
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
