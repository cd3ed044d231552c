/**
 * The embedded database's worker thread (`embedded-thread.ts` starts it):
 * {@link startEmbeddedDatabase} off the server's event loop, listening on
 * loopback as always. It reports to the thread that started it with
 * messages: `ready` with the port and the Unix socket's name, or `failed` with the error that stopped
 * start-up; then every log line (`log`), every journal signal for the
 * metrics (`signal`: `node:diagnostics_channel` is per thread), and `done`
 * after each request (`drop`, `close`, `crash`).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { sendLogsTo, setLogLevel } from '../lib/log.ts'
import { signals } from '../ops/signals.ts'
import { startEmbeddedDatabase, type EmbeddedDatabaseOptions } from './embedded.ts'
import { FORWARDED_SIGNALS, type FromWorker, type ToWorker, type WorkerStart } from './embedded-thread.ts'

const port = parentPort!
const post = (message: FromWorker) => port.postMessage(message)
const start = workerData as WorkerStart
sendLogsTo((line) => post({ type: 'log', line }))
// The starting thread's metrics subscribe there; a subscriber here makes the store publish and sends each message across.
for (const name of FORWARDED_SIGNALS) signals[name].subscribe((message) => post({ type: 'signal', name, message }))
setLogLevel(start.logLevel)

/** What crosses to the starting thread of an error: its message, and the fields callers tell errors apart by. */
function described(error: unknown): Extract<FromWorker, { type: 'failed' }>['error'] {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const { name, message, stack } = error
  const { code, expose, pid, dir } = error as Error & Record<string, unknown>
  return { name, message, stack, code, expose, pid, dir }
}

try {
  const options: EmbeddedDatabaseOptions = { port: start.port, dataDir: start.dataDir, password: start.password, recover: start.recover }
  const database = await startEmbeddedDatabase(options)
  post({ type: 'ready', port: database.port, socketName: database.socketName })
  port.on('message', (message: ToWorker) => {
    const done = () => post({ type: 'done', id: message.id })
    if (message.do === 'drop') {
      database.dropConnections()
      done()
    } else void database[message.do]().then(done)
  })
} catch (error) {
  post({ type: 'failed', error: described(error) })
}
