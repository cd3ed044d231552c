import type * as Rethinkdb from 'rethinkdb'

export type Driver = typeof Rethinkdb

let loading: Promise<Driver> | undefined

/**
 * The `rethinkdb` driver, loaded on first use. Handlers that reject a request
 * before touching the database (bad token, bad body) never pay for loading
 * it, and a Lambda's cold start does not include it.
 */
export function driver(): Promise<Driver> {
  loading ??= Promise.all([import('rethinkdb'), import('rethinkdb/net.js')]).then(([module, net]) => {
    writeEachQueryOnce(net.default as DriverNet)
    return ((module as { default?: Driver }).default ?? module) as Driver
  })
  return loading
}

/** The part of the driver's `net` module that {@link writeEachQueryOnce} replaces. */
interface DriverNet {
  TcpConnection: {
    prototype: {
      rawSocket: { write(chunk: Buffer): boolean }
      _writeQuery(token: number, data: string): unknown
    }
  }
}

/**
 * Sends each query as one socket write. The driver (2.4) writes a query's
 * token, length and body as three: with Nagle's algorithm off, as it sets
 * it, each is a system call and a segment, and on loopback each one wakes
 * the database's thread. In a profile of the write figure those writes were
 * a fifth of the server's main thread. The frame is the same bytes: the
 * token as 64-bit little-endian, the body's length, the body.
 *
 * Queries are not held back to share a write with the rest of the loop's
 * turn: on a node busy fanning events out, a query would wait behind those
 * fan-outs while the database thread idled (docs/architecture.md, "Messages
 * between the threads").
 */
function writeEachQueryOnce(net: DriverNet): void {
  net.TcpConnection.prototype._writeQuery = function (token, data) {
    const body = Buffer.from(data)
    const frame = Buffer.allocUnsafe(12 + body.length)
    frame.writeUInt32LE(token % 0x100000000, 0)
    frame.writeUInt32LE(Math.floor(token / 0x100000000), 4)
    frame.writeUInt32LE(body.length, 8)
    body.copy(frame, 12)
    return this.rawSocket.write(frame)
  }
}

/**
 * `table.getAll(...keys, options?)`: any number of keys, then the options.
 * `@types/rethinkdb` spells out at most four keys, hence this one typed door.
 */
export function getAllOf(table: Rethinkdb.Table, keys: readonly string[], options?: { index: string }): Rethinkdb.Sequence {
  const getAll = table.getAll.bind(table) as unknown as (...keysThenOptions: unknown[]) => Rethinkdb.Sequence
  return options ? getAll(...keys, options) : getAll(...keys)
}
