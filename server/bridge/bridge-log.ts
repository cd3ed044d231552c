/** Where the bridge reports faults it recovers from; tests pass a quiet one. */
export interface BridgeLog {
  warn(message: string, error?: unknown): void
}

/** Writes to stderr with a `bridge:` prefix. */
export const consoleLog: BridgeLog = {
  warn: (message, error) => {
    const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? '' : `: ${String(error)}`
    console.warn(`bridge: ${message}${detail}`)
  },
}
