import pino, { type DestinationStream, type Logger } from 'pino'

/**
 * The server's one logger: JSON lines on stderr (stdout carries the ready
 * line scripts wait for), with `level`, `time`, `msg`, the request id where
 * there is one, and secrets redacted. pino is what Node services commonly
 * use; it writes synchronously here, so a crash loses no line.
 *
 * @example
 * log.warn({ requestId, err }, 'database unavailable')
 * const bridgeLog = log.child({ part: 'bridge' })
 */
export type { Logger }

/** Where lines go; tests swap it with {@link captureLogs}. */
let sink: (line: string) => void = (line) => process.stderr.write(line)
const destination: DestinationStream = { write: (line) => sink(line) }

const initialLevel = process.env.RTKIT_LOG_LEVEL || (process.env.RTKIT_ENV === 'test' ? 'warn' : 'info')

export const log: Logger = pino(
  {
    level: initialLevel,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Never log a credential, wherever it sits in a logged object.
    redact: {
      paths: ['token', 'password', 'authorization', '*.token', '*.password', '*.authorization', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  },
  destination,
)

/** Sets the level of every logger (the stack applies `RTKIT_LOG_LEVEL` once configuration is read). */
export function setLogLevel(level: string): void {
  log.level = level
}

/**
 * Collects log lines as objects until the returned `restore` runs; for tests
 * that check what was logged or keep expected noise out of their output.
 */
export function captureLogs(): { lines: Array<Record<string, unknown>>; restore(): void } {
  const lines: Array<Record<string, unknown>> = []
  const previous = sink
  sink = (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>)
  }
  return { lines, restore: () => void (sink = previous) }
}

/**
 * Sends every log line of this thread to `write` instead (the embedded
 * database's worker thread hands its lines to the main thread, which writes
 * them with {@link writeLogLine}).
 */
export function sendLogsTo(write: (line: string) => void): void {
  sink = write
}

/** Writes a line another thread logged, where this thread's lines go (and into {@link captureLogs}). */
export function writeLogLine(line: string): void {
  sink(line)
}
