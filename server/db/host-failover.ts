import { signals } from '../ops/signals.ts'
import type { DatabaseHost } from './database-url.ts'

/**
 * Failover between the hosts of `RTKIT_RETHINKDB_URL`. The official driver
 * connects to one host; this tries them in turn, starting with the one that
 * last answered, and moves on when that one fails. Every node of a RethinkDB
 * cluster serves every table, so any host will do.
 *
 * @example
 * const failover = new HostFailover(databaseHosts(config.database))
 * const conn = await failover.connect((host) => r.connect(connectOptions(config.database, host)))
 * conn.on('close', () => failover.failed(failover.current))
 */
export class HostFailover<C> {
  private index = 0
  /** The host of the last connection opened, by index. */
  private connected: number | undefined

  constructor(
    readonly hosts: readonly DatabaseHost[],
    private readonly log?: { warn(fields: object, message: string): void },
  ) {
    if (hosts.length === 0) throw new Error('no database host configured')
  }

  /** The host the next {@link connect} tries first. */
  get current(): DatabaseHost {
    return this.hosts[this.index]!
  }

  /**
   * Opens a connection with `open`, trying every host once from the current
   * one; the host that answers becomes current.
   *
   * @throws the driver's own error with one host; with several, an error
   *   naming each host's failure ("Could not connect", which the API answers with 503).
   */
  async connect(open: (host: DatabaseHost) => Promise<C>): Promise<C> {
    if (this.hosts.length === 1) return open(this.current)
    const failures: string[] = []
    let last: unknown
    for (let attempt = 0; attempt < this.hosts.length; attempt++) {
      const index = (this.index + attempt) % this.hosts.length
      const host = this.hosts[index]!
      try {
        const connection = await open(host)
        if (attempt > 0) this.log?.warn({ host: label(host) }, 'database: failed over to another host')
        // Another host than the last connection's, whether this call moved on or `failed` did.
        if (this.connected !== undefined && this.connected !== index) signals.databaseFailover.publish({})
        this.connected = index
        this.index = index
        return connection
      } catch (error) {
        last = error
        failures.push(`${label(host)}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    throw new Error(`Could not connect to any database host (${failures.join('; ')})`, { cause: last })
  }

  /**
   * `host` failed (its connection closed or errored): the next connect
   * starts at the host after it. A late report about a host already left
   * behind changes nothing.
   */
  failed(host: DatabaseHost): void {
    if (host !== this.current) return
    this.index = (this.index + 1) % this.hosts.length
  }
}

function label(host: DatabaseHost): string {
  return host.host.includes(':') ? `[${host.host}]:${host.port}` : `${host.host}:${host.port}`
}
