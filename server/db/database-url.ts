/** One RethinkDB server a connection may go to. */
export interface DatabaseHost {
  host: string
  port: number
}

/** RethinkDB's driver port, when a host names none. */
export const DEFAULT_DRIVER_PORT = 28015

/** What {@link parseDatabaseUrl} reads. */
export interface ParsedDatabaseUrl {
  /** The URL with its first host only (credentials and database kept), for code that takes one host. */
  url: URL
  /** Every host, in the order given. */
  hosts: DatabaseHost[]
}

/**
 * Reads `rethinkdb://user:password@h1:28015,h2:28015/db`: a RethinkDB URL
 * that may list several hosts, comma-separated (IPv6 in brackets), like
 * MongoDB's and PostgreSQL's multi-host URLs. The official driver connects
 * to one host, so failover between them is rtkit's (see `connectToAny`).
 *
 * @throws {TypeError} when `raw` is not such a URL.
 * @example
 * parseDatabaseUrl('rethinkdb://h1,h2:28016/rtkit').hosts // [{ host: 'h1', port: 28015 }, { host: 'h2', port: 28016 }]
 */
export function parseDatabaseUrl(raw: string): ParsedDatabaseUrl {
  const match = /^(rethinkdb:\/\/)([^@/]*@)?([^/?#]+)(.*)$/.exec(raw)
  if (!match) throw new TypeError(`not a rethinkdb:// URL: ${raw}`)
  const [, scheme, credentials = '', hostList, rest] = match as unknown as [string, string, string | undefined, string, string]
  const hosts = hostList.split(',').map((part) => {
    // `new URL` checks each host (and port) the way it checks a one-host URL.
    const one = new URL(`${scheme}${part}`)
    if (!one.hostname) throw new TypeError(`no host in ${part}`)
    return { host: one.hostname.replace(/^\[(.*)\]$/, '$1'), port: one.port ? Number(one.port) : DEFAULT_DRIVER_PORT }
  })
  return { url: new URL(`${scheme}${credentials}${hostList.split(',')[0]}${rest}`), hosts }
}

/**
 * The hosts connections go to: those of `RTKIT_RETHINKDB_URL`, or the one
 * host of `url` when only that is set (the embedded database).
 */
export function databaseHosts(database: { url: URL | undefined; hosts: readonly DatabaseHost[] }): readonly DatabaseHost[] {
  if (database.hosts.length > 0) return database.hosts
  if (!database.url) return []
  return [
    { host: database.url.hostname.replace(/^\[(.*)\]$/, '$1'), port: database.url.port ? Number(database.url.port) : DEFAULT_DRIVER_PORT },
  ]
}
