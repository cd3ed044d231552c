/**
 * A shorter way in to an embedded database that runs in this very process:
 * besides its loopback TCP port, it listens on a Unix domain socket, and
 * {@link connectOptions} (`connection.ts`) sends this process's connections
 * there. Other processes (the admin commands, a cluster's other nodes) keep
 * using the TCP port, which is what the database URL names.
 *
 * Why: the driver and the engine exchange a message or two per query, and
 * over loopback TCP each one runs the whole TCP stack twice. A Unix socket
 * carries the same bytes, so the wire protocol and the driver are unchanged.
 * In the write figure (`npm run bench`, `write`) the switch raised steady
 * writes from about 1,100–1,500/s to 1,500–1,800/s on the same machine and run.
 *
 * The socket is in Linux's abstract namespace: no file to clean up after a
 * crash, and reachable, like the loopback port, by this machine's processes
 * only, which must still prove the password. Elsewhere there is none, and
 * connections take the TCP port as before.
 */

/** The abstract socket name for the embedded database on `port`, or `undefined` where there are none. */
export function localSocketName(port: number): string | undefined {
  return process.platform === 'linux' ? `\0rtkit-db-${process.pid}-${port}` : undefined
}

/** This process's embedded databases: TCP address (`host:port`) → socket name. */
const sockets = new Map<string, string>()

/** Connections to `host:port` from this thread go to `name` from now on. */
export function addLocalSocket(host: string, port: number, name: string): void {
  sockets.set(`${host}:${port}`, name)
}

/** The database on `host:port` has stopped: its socket is gone. */
export function removeLocalSocket(host: string, port: number): void {
  sockets.delete(`${host}:${port}`)
}

/** The socket to reach `host:port` by, when it is an embedded database of this process. */
export function localSocketFor(host: string, port: number): string | undefined {
  return sockets.get(`${host}:${port}`)
}
