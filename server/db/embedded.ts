import { rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { localSecret } from '../lib/local-secret.ts'
import { log } from '../lib/log.ts'
import { DiskStore, type JournalFiles } from './embedded/disk-store.ts'
import { installOrderedIndexes } from './embedded/ordered-index.ts'
import type { RecoverPolicy } from './embedded/recovery.ts'
import {
  Connection,
  Query,
  queryTypes,
  responseTypes,
  Server,
  util,
  type Changefeed,
  type ConnectionOptions,
  type ReqliteConnection,
  type WireResponse,
} from './embedded/reqlite.ts'
import { verifyClientProof } from './embedded/scram.ts'
import { WriteOrder, writtenTables } from './embedded/write-order.ts'
import { addLocalSocket, localSocketName, removeLocalSocket } from './local-socket.ts'

/**
 * The embedded default database: `reqlite`, a ReQL server written in
 * JavaScript that speaks RethinkDB's wire protocol, so the very same
 * `rethinkdb` driver code runs against it as against a real cluster. On top
 * of reqlite this adds what a development database needs and reqlite lacks:
 *
 * - data on disk in `<dataDir>/db` (snapshot + journal, `embedded/disk-store.ts`),
 *   or nothing on disk with `dataDir: 'memory'`;
 * - a listener on loopback only, whatever `RTKIT_HOST` says, and a Unix
 *   socket for the connections of its own process (`local-socket.ts`);
 * - a password: the SCRAM-SHA-256 handshake is checked (reqlite accepts any);
 * - ordered indexes for paging (`embedded/ordered-index.ts`);
 * - atomic conditional writes: a table's writes run one at a time (`embedded/write-order.ts`).
 */
export interface EmbeddedDatabase {
  readonly host: string
  readonly port: number
  /** `rethinkdb://admin:<password>@127.0.0.1:<port>` for `RTKIT_RETHINKDB_URL`. It carries the password: print {@link address}. */
  readonly url: string
  /** `rethinkdb://127.0.0.1:<port>`, without credentials, for logs and messages. */
  readonly address: string
  /** The Unix socket this process's own connections use instead of the port (`local-socket.ts`); none off Linux. */
  readonly socketName?: string | undefined
  /** The folder the data lives in, or `'memory'`. */
  readonly dataDir: string | 'memory'
  /**
   * Destroys every open client connection but keeps listening, like a
   * network blip or a database failover; clients must reconnect (fault tests).
   */
  dropConnections(): void
  /** Stops: closes every connection, writes a final snapshot and releases the data folder. */
  close(): Promise<void>
  /** Stops as a crash would, without the final snapshot (fault tests): acknowledged writes are in the journal already. */
  crash(): Promise<void>
}

export interface EmbeddedDatabaseOptions {
  /** 0 (the default) picks a free port, so several stacks (tests, benchmarks) can run side by side. */
  port?: number
  /** Where the data lives (`<dataDir>/db`), or `'memory'` for nothing on disk. */
  dataDir: string | 'memory'
  /** The password clients must prove; by default {@link embeddedDatabasePassword}. */
  password?: string
  /** What to do with a data file that cannot be read (`RTKIT_RECOVER`): stop (the default), or keep it aside and restore what is intact. */
  recover?: RecoverPolicy
  /** The journal's file operations (tests: a full disk on demand, counting fsyncs). */
  files?: JournalFiles
}

/** The only interface the embedded database listens on. */
export const EMBEDDED_HOST = '127.0.0.1'
/** The user name clients log in with (RethinkDB's own administrator is `admin` too). */
export const EMBEDDED_USER = 'admin'

/**
 * The embedded database's password: random, kept in `<dataDir>/db-password`
 * (owner-only) so that every process on that folder agrees; with `memory`
 * it lives as long as this process.
 */
/**
 * The file in the data folder that holds a running embedded database's
 * loopback port, so that `rtkit-server export`, `import` and `users` reach
 * a running server's database through the driver instead of stopping it.
 */
export const EMBEDDED_PORT_FILE = 'db-port'

export function embeddedDatabasePassword(dataDir: string | 'memory'): string {
  return localSecret(dataDir, 'db-password', 24)
}

/** Where an embedded database on `port` is reached, with and without the password. */
export function embeddedAddresses(password: string, port: number): Pick<EmbeddedDatabase, 'host' | 'port' | 'url' | 'address'> {
  return {
    host: EMBEDDED_HOST,
    port,
    url: `rethinkdb://${EMBEDDED_USER}:${encodeURIComponent(password)}@${EMBEDDED_HOST}:${port}`,
    address: `rethinkdb://${EMBEDDED_HOST}:${port}`,
  }
}

/**
 * reqlite's connection, with the password checked, every answer preceded by
 * `beforeAnswer`, and write queries run in `writeOrder`.
 */
function connectionClass(password: string, beforeAnswer: () => void, writeOrder: WriteOrder) {
  return class CheckedConnection extends Connection {
    #verified = false

    constructor(socket: net.Socket, server: Server, options: ConnectionOptions) {
      super(socket, server, options)
      // reqlite derives its server signature from `password`, which it sets to ''; pin ours.
      Object.defineProperty(this, 'password', { get: () => password, set: () => undefined })
    }

    override read(): void {
      if (this.state === 2 && !this.#verified && !this.ignoreIncoming) {
        const end = this.buffer.indexOf(0)
        if (end === -1) return
        const proven = this.#proves(this.buffer.subarray(0, end).toString())
        if (!proven) {
          // A reset, not RethinkDB's `{ success: false, error_code: 12 }` answer: after that answer the
          // official driver leaves its connect timer running, and 20 s later it emits an 'error' nobody
          // listens to, which crashes the client process. A reset clears the timer.
          this.ignoreIncoming = true
          this.buffer = Buffer.alloc(0)
          this.connection.resetAndDestroy()
          return
        }
        this.#verified = true
      }
      super.read()
    }

    /** Whether the client-final message proves the password, for the one user there is. */
    #proves(message: string): boolean {
      try {
        const final = (JSON.parse(message) as { authentication: string }).authentication
        return (
          this.user === EMBEDDED_USER &&
          verifyClientProof(
            {
              user: this.user,
              clientNonce: this.clientNonce ?? '',
              serverFirst: this.getAuthentication(),
              fullNonce: this.getFullNonce(),
              salt: Buffer.from(this.salt, 'base64'),
              iterations: this.iterations,
            },
            final,
            password,
          )
        )
      } catch {
        return false
      }
    }

    /**
     * reqlite's own handling of a new query, minus its debug logging: reqlite
     * pretty-prints every response (`JSON.stringify(response, null, 2)`) even
     * with logging off, which was the largest single cost of serving a page.
     * A query that writes waits for the earlier writes to its tables, so a
     * conditional write reads and writes its row with no other write between.
     * A changefeed's `continue` is answered with every change waiting for it
     * (see {@link withBuffered}). Other message types (stop, noreply-wait)
     * go to reqlite.
     */
    override handleQuery(token: number, queryText: string): void {
      let ast: unknown
      try {
        ast = JSON.parse(queryText)
      } catch {
        return super.handleQuery(token, queryText)
      }
      if (Array.isArray(ast) && ast[0] === queryTypes.CONTINUE) {
        const query = this.queries[token]
        const feed = query?.result
        if (util.isChanges(feed)) {
          return feed.onNext((next) => {
            this.send(token, withBuffered(next, feed))
            if (query!.isComplete()) delete this.queries[token]
          })
        }
      }
      if (!Array.isArray(ast) || ast[0] !== queryTypes.START) return super.handleQuery(token, queryText)
      try {
        const query = new Query(this.server, ast, {}, token)
        const tables = writtenTables(ast[1])
        ;(tables ? writeOrder.run(tables, () => query.run()) : query.run()).then(
          (response) => {
            if (!query.isComplete()) this.queries[token] = query
            this.send(token, response)
          },
          () => undefined, // run() answers its own errors as responses
        )
      } catch (error) {
        this.send(token, {
          t: responseTypes.RUNTIME_ERROR,
          r: [(error as Error).message],
          b: (error as { frames?: unknown[] }).frames ?? [],
        })
      }
    }

    /** reqlite's framing (8-byte token, 4-byte length, JSON), written without the deprecated `new Buffer`. */
    override send(token: number, response: unknown): void {
      beforeAnswer()
      const body = Buffer.from(JSON.stringify(response))
      const head = Buffer.alloc(12)
      head.writeUInt32LE(token, 0)
      head.writeUInt32LE(body.length, 8)
      this.connection.write(Buffer.concat([head, body]))
    }
  } as unknown as new (socket: net.Socket, server: Server, options: ConnectionOptions) => ReqliteConnection
}

/**
 * `next`, with the changes buffered behind it joined on. reqlite answers a
 * changefeed's `continue` with one change, so a client then asks again for
 * each: under a burst of writes, two messages per change between the
 * server's thread and this one. RethinkDB itself sends what has gathered as
 * one batch, and the driver takes any number of rows per response. Joining
 * stops at a response of another type (an error), which keeps its place.
 */
function withBuffered(next: WireResponse, feed: Changefeed): WireResponse {
  if (next.t !== responseTypes.SUCCESS_PARTIAL) return next
  let rows = next.r
  while (feed.buffer[0]?.t === responseTypes.SUCCESS_PARTIAL) rows = rows.concat(feed.buffer.shift()!.r)
  return rows === next.r ? next : { ...next, r: rows }
}

/** Starts the embedded database on loopback, restoring what `dataDir` holds first. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  installOrderedIndexes()
  const password = options.password ?? embeddedDatabasePassword(options.dataDir)
  const databaseLog = log.child({ part: 'database' })

  // reqlite's own listener binds every interface; ours binds loopback only.
  const reqlite: Server = Object.create(Server.prototype)
  const createServer = Server.prototype._createServer
  Server.prototype._createServer = () => undefined
  try {
    Server.call(reqlite, { silent: true })
  } finally {
    Server.prototype._createServer = createServer
  }

  const store =
    options.dataDir === 'memory'
      ? undefined
      : DiskStore.open(reqlite, join(options.dataDir, 'db'), databaseLog, { recover: options.recover, files: options.files })
  const CheckedConnection = connectionClass(password, () => store?.beforeAnswer(), new WriteOrder())
  const sockets = new Set<net.Socket>()
  const serve = (socket: net.Socket) => {
    // Answers go out as they are written. With Nagle's algorithm on, an answer
    // written while the previous one was unacknowledged waited for the
    // client's delayed ACK, up to 40 ms: a sign-in (several queries) took
    // about 80 ms on an idle server instead of 38. No-op on the Unix socket.
    socket.setNoDelay(true)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    const connection = new CheckedConnection(socket, reqlite, {
      version: reqlite.protocolVersion,
      authKey: reqlite.authKey,
      minProtocolVersion: reqlite.minProtocolVersion,
      maxProtocolVersion: reqlite.maxProtocolVersion,
    })
    reqlite._connections[connection.id] = connection
  }
  const listener = net.createServer(serve)
  let local: net.Server | undefined
  let port: number
  let socketName: string | undefined
  try {
    await listen(listener, { port: options.port ?? 0, host: EMBEDDED_HOST })
    port = (listener.address() as net.AddressInfo).port
    socketName = localSocketName(port)
    if (socketName) {
      local = net.createServer(serve)
      await listen(local, { path: socketName })
      addLocalSocket(EMBEDDED_HOST, port, socketName)
    }
  } catch (error) {
    if (listener.listening) listener.close()
    store?.abandon()
    throw error
  }
  // Written after the folder lock is ours (DiskStore.open), removed on a clean stop; a crash leaves a stale one the lock tells apart.
  const portFile = options.dataDir === 'memory' ? undefined : join(options.dataDir, EMBEDDED_PORT_FILE)
  try {
    if (portFile) writeFileSync(portFile, `${port}\n`, { mode: 0o600 })
  } catch (error) {
    // A full disk must not stop the database from serving reads: only the operator's commands lose their way in.
    databaseLog.warn(
      { err: error, file: portFile },
      'could not write the port file: rtkit-server export, import and users cannot reach this database',
    )
  }
  const stop = (finish: () => void, clean: boolean) => () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      removeLocalSocket(EMBEDDED_HOST, port)
      local?.close()
      listener.close(() => resolve())
      if (clean && portFile) rmSync(portFile, { force: true })
      finish()
    })
  return {
    ...embeddedAddresses(password, port),
    socketName,
    dataDir: options.dataDir,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy()
    },
    close: stop(() => store?.close(), true),
    crash: stop(() => store?.abandon(), false),
  }
}

function listen(server: net.Server, where: net.ListenOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(where, () => (server.off('error', reject), resolve()))
  })
}
