// reqlite is CommonJS without types; imported statically so that bundlers
// (the server package is one esbuild bundle) include it.
// @ts-expect-error -- no type declarations
import Connection from 'reqlite/lib/connection.js'
// @ts-expect-error -- no type declarations
import Server from 'reqlite/lib/index.js'
import net from 'node:net'

/**
 * The embedded default database: `reqlite`, a ReQL server written in
 * JavaScript that speaks RethinkDB's wire protocol, so the very same
 * `rethinkdb` driver code runs against it as against a real cluster.
 * It keeps data in memory only.
 */
export interface EmbeddedDatabase {
  readonly host: string
  readonly port: number
  /** `rethinkdb://host:port` for `RTKIT_RETHINKDB_URL`. */
  readonly url: string
  /**
   * Destroys every open client connection but keeps listening, like a
   * network blip or a database failover; clients must reconnect (fault tests).
   */
  dropConnections(): void
  close(): Promise<void>
}

interface ReqliteServer {
  protocolVersion: number
  authKey: string
  minProtocolVersion: number
  maxProtocolVersion: number
  _connections: Record<string, { connection: net.Socket }>
}

/**
 * Starts the embedded server listening on loopback only. `port` 0 picks a free
 * port, so several stacks (tests, benchmarks) can run side by side.
 */
export async function startEmbeddedDatabase(port = 0, host = '127.0.0.1'): Promise<EmbeddedDatabase> {
  // reqlite's own listener binds every interface; ours binds `host` only.
  const reqlite: ReqliteServer = Object.create(Server.prototype)
  const createServer = Server.prototype._createServer
  Server.prototype._createServer = () => undefined
  try {
    Server.call(reqlite, { silent: true })
  } finally {
    Server.prototype._createServer = createServer
  }

  const sockets = new Set<net.Socket>()
  const listener = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    const connection = new Connection(socket, reqlite, {
      version: reqlite.protocolVersion,
      authKey: reqlite.authKey,
      minProtocolVersion: reqlite.minProtocolVersion,
      maxProtocolVersion: reqlite.maxProtocolVersion,
    })
    reqlite._connections[connection.id] = connection
  })
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject)
    listener.listen(port, host, () => resolve())
  })
  const address = listener.address() as net.AddressInfo
  return {
    host,
    port: address.port,
    url: `rethinkdb://${host}:${address.port}`,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        listener.close(() => resolve())
      }),
  }
}
