import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { log, writeLogLine } from '../lib/log.ts'
import { signals } from '../ops/signals.ts'
import {
  EMBEDDED_HOST,
  embeddedAddresses,
  embeddedDatabasePassword,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
} from './embedded.ts'
import { FolderInUseError, openHere } from './embedded/folder-lock.ts'
import { DamagedDataError } from './embedded/recovery.ts'
import { addLocalSocket, removeLocalSocket } from './local-socket.ts'

/**
 * The embedded database in a worker thread of the server's process, so that
 * evaluating queries (reqlite is JavaScript) does not compete with HTTP
 * handling on one event loop: the server and the engine use two cores. It
 * still listens on loopback TCP and the driver connects to it as to any
 * database; this process's own connections take its Unix socket
 * (`local-socket.ts`). `npm start`, `rtkit-server` and the test stack run it this way;
 * {@link startEmbeddedDatabase} runs it on the caller's loop (the admin
 * commands, tests that inject file faults).
 *
 * The thread's log lines are written by the starting thread, like its own. A
 * failure to start (a damaged data folder, the folder in use, the port
 * taken) rejects with the error the engine threw, rebuilt with its name,
 * message and fields. A thread that stops without being asked (an uncaught
 * error in the engine, out of memory) calls `onFailure`: the data it held
 * in memory is gone, and what the journal holds comes back on the next start.
 */
export interface EmbeddedThreadOptions extends Omit<EmbeddedDatabaseOptions, 'files'> {
  /** The thread's log level; by default the starting thread's. */
  logLevel?: string
  /** Called once when the thread stops without being asked; by default the failure is logged. */
  onFailure?: (error: Error) => void
}

export interface EmbeddedThread extends EmbeddedDatabase {
  /** The worker the engine runs in (tests stop it as a crash would). */
  readonly worker: Worker
}

/** What the worker is started with (`workerData`). */
export interface WorkerStart {
  port: number
  dataDir: string | 'memory'
  password: string
  recover: EmbeddedDatabaseOptions['recover']
  logLevel: string
}

/** Messages to the worker: `id` comes back in its `done`. */
export interface ToWorker {
  id: number
  do: 'drop' | 'close' | 'crash'
}

/** An error as it crosses from the worker: what callers tell errors apart by. */
export interface CrossedError {
  name: string
  message: string
  stack?: string | undefined
  code?: unknown
  expose?: unknown
  pid?: unknown
  dir?: unknown
}

/** The engine's metrics signals, published again in the starting thread, where `/metrics` subscribes. */
export const FORWARDED_SIGNALS = ['journalAppend', 'journalSync'] as const

/** The worker's first message once the database listens. */
interface Ready {
  type: 'ready'
  port: number
  socketName: string | undefined
}

/** Messages from the worker. */
export type FromWorker =
  | Ready
  | { type: 'failed'; error: CrossedError }
  | { type: 'log'; line: string }
  | { type: 'signal'; name: (typeof FORWARDED_SIGNALS)[number]; message: unknown }
  | { type: 'done'; id: number }

/**
 * The worker: in the built server, the bundle scripts/build-server.ts emits
 * beside `server.mjs`; from the sources, the TypeScript module beside this
 * one, loaded through tsx (Node 20 does not apply `--import tsx` to a
 * worker's own module, so the worker registers it first).
 */
function newWorker(workerData: WorkerStart): Worker {
  if (!new URL(import.meta.url).pathname.endsWith('.ts'))
    return new Worker(new URL('./embedded-worker.mjs', import.meta.url), { workerData })
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const entry = JSON.stringify(new URL('./embedded-worker.ts', import.meta.url).href)
  const code = `(async () => { (await import(${tsx})).register(); await import(${entry}) })()`
  return new Worker(code, { eval: true, workerData })
}

/** The worker's error as this thread's, with its class where callers check it. */
function rebuilt(crossed: CrossedError): Error {
  const error =
    crossed.name === 'FolderInUseError'
      ? new FolderInUseError(String(crossed.dir), Number(crossed.pid))
      : crossed.name === 'DamagedDataError'
        ? new DamagedDataError(crossed.message)
        : new Error(crossed.message)
  error.name = crossed.name
  if (crossed.stack) error.stack = crossed.stack
  if (crossed.code !== undefined) Object.assign(error, { code: crossed.code })
  if (crossed.expose !== undefined && !(error instanceof DamagedDataError)) Object.assign(error, { expose: crossed.expose })
  return error
}

/** Starts the embedded database in a worker thread, restoring what `dataDir` holds first. */
export async function startEmbeddedDatabaseThread(options: EmbeddedThreadOptions): Promise<EmbeddedThread> {
  const password = options.password ?? embeddedDatabasePassword(options.dataDir)
  // The folder lock tells a live owner from a stale one by the pid, which every thread shares: this thread keeps count for the worker.
  const dir = options.dataDir === 'memory' ? undefined : join(options.dataDir, 'db')
  if (dir && openHere.has(dir)) throw new FolderInUseError(dir, process.pid)
  if (dir) openHere.add(dir)
  const start: WorkerStart = {
    port: options.port ?? 0,
    dataDir: options.dataDir,
    password,
    recover: options.recover,
    logLevel: options.logLevel ?? log.level,
  }
  const worker = newWorker(start)
  let thrown: Error | undefined
  worker.on('error', (error) => (thrown ??= error))
  const pending = new Map<number, () => void>()
  let ready: (started: Ready) => void = () => undefined
  let failed: (error: Error) => void = () => undefined
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'log') writeLogLine(message.line)
    else if (message.type === 'signal') {
      if (signals[message.name].hasSubscribers) signals[message.name].publish(message.message)
    } else if (message.type === 'ready') ready(message)
    else if (message.type === 'failed') failed(rebuilt(message.error))
    else pending.get(message.id)?.()
  })
  let started: Ready
  try {
    started = await new Promise<Ready>((resolve, reject) => {
      ready = resolve
      failed = reject
      worker.once('exit', (code) => reject(thrown ?? new Error(`the embedded database's thread exited with code ${code} while starting`)))
    })
  } catch (error) {
    await worker.terminate()
    if (dir) openHere.delete(dir)
    throw error
  }
  const { port, socketName } = started
  // This thread's connections take the thread's Unix socket (local-socket.ts) while it runs.
  if (socketName) addLocalSocket(EMBEDDED_HOST, port, socketName)

  let asked = false
  let exited = false
  worker.once('exit', (code) => {
    exited = true
    if (socketName) removeLocalSocket(EMBEDDED_HOST, port)
    if (dir) openHere.delete(dir)
    for (const done of pending.values()) done()
    if (asked) return
    const error = thrown ?? new Error(`the embedded database's thread stopped with code ${code}`)
    if (options.onFailure) options.onFailure(error)
    else log.error({ err: error }, 'the embedded database stopped unexpectedly')
  })
  let nextId = 0
  const request = (what: ToWorker['do']) =>
    new Promise<void>((resolve) => {
      if (exited) return resolve()
      const id = nextId++
      pending.set(id, () => (pending.delete(id), resolve()))
      worker.postMessage({ id, do: what } satisfies ToWorker)
    })
  let stopped: Promise<void> | undefined
  const stop = (what: 'close' | 'crash') => () => {
    asked = true
    return (stopped ??= request(what).then(async () => void (await worker.terminate())))
  }
  return {
    ...embeddedAddresses(password, port),
    socketName,
    dataDir: options.dataDir,
    worker,
    dropConnections: () => void request('drop'),
    close: stop('close'),
    crash: stop('crash'),
  }
}
