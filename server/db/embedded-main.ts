/**
 * The embedded database alone, as its own process: the local cluster runs
 * one of these for all its gateway nodes. `npm start` does not use it: it
 * runs the database in a worker thread of the server's process
 * (`embedded-thread.ts`; docs/architecture.md, "Running").
 *
 *   node --import tsx server/db/embedded-main.ts [--port 28015] [--data .rtkit/data]
 *
 * It restores what the data folder holds, then prints one line that scripts
 * wait for, with the URL to give every node as `RTKIT_RETHINKDB_URL`:
 *
 *   rtkit database ready url=rethinkdb://admin:<password>@127.0.0.1:28015 data=<folder>
 *
 * The URL carries the password (also kept in `<data>/db-password`). SIGINT
 * or SIGTERM, or its parent going away when started with an IPC channel,
 * writes a final snapshot and exits 0.
 */
import { isAbsolute, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runMain, trapStopSignals } from '../lib/process-lifecycle.ts'
import { startEmbeddedDatabase } from './embedded.ts'

runMain(async () => {
  const stopWith = trapStopSignals()
  const { values } = parseArgs({
    options: { port: { type: 'string' }, data: { type: 'string' } },
    strict: true,
  })
  const port = Number(values.port ?? (process.env.RTKIT_EMBEDDED_DB_PORT || 28015))
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`)
  const data = values.data ?? (process.env.RTKIT_DATA_DIR || join('.rtkit', 'data'))
  const dataDir = data === 'memory' ? 'memory' : isAbsolute(data) ? data : resolve(data)
  const recover = process.env.RTKIT_RECOVER === 'skip-damaged' ? 'skip-damaged' : 'stop'
  const database = await startEmbeddedDatabase({ port, dataDir, recover })
  console.log(`rtkit database ready url=${database.url} data=${dataDir}`)
  stopWith(database.close)
  // Started by another process with an IPC channel (the local cluster): stop with it.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'))
})
