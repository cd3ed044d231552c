import { firstUse } from './first-use.ts'
import type { Logger } from './log.ts'

/** `log.ts`, loaded by its first caller (a line to write, a function's logger) and kept. */
export const loadLog = firstUse(() => import('./log.ts'))

/**
 * Writes through the server's one logger (`log.ts`), loading it first if
 * this is the first line of the process. For the code a Lambda cold start
 * runs: pino and the Node modules it needs are about 20 ms of a handler's
 * init, and a request that goes well logs nothing, so the logger is loaded
 * only when there is something to say. The first line is written once it
 * has loaded (the returned promise says when); from then on every line is
 * written synchronously, as before. Same logger, same lines.
 *
 * @example
 * await logLater((log) => log.error({ requestId, err }, 'request failed'))
 */
export function logLater(write: (log: Logger) => void): Promise<void> {
  return loadLog().then(({ log }) => write(log))
}
