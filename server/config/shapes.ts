import type { Algorithm } from 'jsonwebtoken'
import type { DatabaseHost } from '../db/database-url.ts'
import type { AsymmetricAlgorithm, ServerRole } from './environment.ts'

/**
 * Server configuration, read from environment variables once, through one
 * schema (`environment.ts`). Every variable is documented in README.md
 * ("Configuration").
 */
export interface ServerConfig {
  env: Mode
  host: string
  apiPort: number
  realtimePort: number
  realtimePath: string
  demoPort: number
  corsOrigin: string
  /** Where the embedded database and the development secret live; `memory` keeps nothing on disk. */
  dataDir: string | 'memory'
  database: DatabaseConfig
  jwt: JwtConfig
  /** Seed demo users and data on start (development only by default). */
  seed: boolean
  /** Lambda-like timeout of one handler invocation in the local gateway, ms. */
  handlerTimeoutMs: number
  /** Event topics one realtime socket may subscribe to at once (`RTKIT_REALTIME_MAX_SUBSCRIPTIONS`). */
  realtimeMaxSubscriptions: number
  logLevel: LogLevel
  /** The parts this process runs (`RTKIT_ROLE`); all three by default. */
  roles: ReadonlySet<ServerRole>
  /** This node's name (`RTKIT_NODE_NAME`): deepstream's `serverName`, the bridge lease holder. */
  nodeName: string
  /** `redis://` or `rediss://` of the cluster bus and the bridge lease, with its password (never print it); `undefined` runs a single node. */
  redisUrl: URL | undefined
  /** deepstream for a `bridge` process that does not run `realtime` itself (`RTKIT_REALTIME_URL`). */
  realtimeUrl: string | undefined
  /** How long the bridge lease outlives its holder's last renewal, ms (`RTKIT_BRIDGE_LEASE_MS`). */
  bridgeLeaseMs: number
  /** A host app's token issuer, trusted besides rtkit's own accounts; `undefined` when not configured. */
  hostIssuer: HostIssuerConfig | undefined
  /**
   * Take the client address from `X-Forwarded-For`, for login throttling:
   * `true` behind a trusted balancer, `'loopback'` only from a peer on this
   * machine (the demo page's proxy), `false` never.
   */
  trustProxy: boolean | 'loopback'
  /** The bearer token `GET /metrics` requires (`RTKIT_METRICS_TOKEN`); `undefined` turns metrics off (404). */
  metricsToken: string | undefined
  /** The port of `/ready` and `/metrics` in a process without the API gateway (`RTKIT_OPS_PORT`; 0 picks a free one). */
  opsPort: number
  /** How long a stopping process waits for in-flight requests and its sockets to finish, ms (`RTKIT_DRAIN_MS`). */
  drainMs: number
  /** Scheduled exports (`RTKIT_BACKUP_DIR`, `_EVERY`, `_KEEP`); `undefined` takes none. */
  backup: BackupConfig | undefined
}

/** Where and how often the server writes an export, and how many it keeps. */
export interface BackupConfig {
  /** Absolute folder the exports go to. */
  dir: string
  everyMs: number
  keep: number
}

/**
 * An external issuer (the embedding app's backend), configured like API
 * Gateway's JWT authorizer: tokens whose `iss` is `issuer` and `aud` is
 * `audience`, signed with `algorithm` (asymmetric only) by a key from the
 * JWKS at `jwksUrl` (by `kid`) or by `publicKey`.
 */
export interface HostIssuerConfig {
  issuer: string
  audience: string
  algorithm: AsymmetricAlgorithm
  jwksUrl: URL | undefined
  /** PEM. */
  publicKey: string | undefined
  /** The longest a token may live, seconds (`RTKIT_AUTH_MAX_LIFETIME`): `exp - iat`, or `exp - now` without `iat`. */
  maxLifetimeSeconds: number
}

export type Mode = 'development' | 'production' | 'test'
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export interface DatabaseConfig {
  /** `undefined` runs the embedded RethinkDB-wire server; with several hosts, the first of them. */
  url: URL | undefined
  /**
   * Every host of `RTKIT_RETHINKDB_URL`, in order; connections fail over
   * between them. Empty when `url` was set alone (e.g. the embedded database).
   */
  hosts: readonly DatabaseHost[]
  /** Shards and replicas of tables the migrations create (a real RethinkDB cluster; reqlite ignores them). */
  shards: number
  replicas: number
  db: string
  /** PEM CA for TLS connections to a real RethinkDB. */
  tlsCa: string | undefined
  /** Port of the embedded server; 0 picks a free one. */
  embeddedPort: number
  /** What the embedded database does with a damaged data file at start (`RTKIT_RECOVER`): stop (default), or keep it aside and restore what is intact. */
  recover: 'stop' | 'skip-damaged'
}

export interface JwtConfig {
  algorithm: Algorithm
  /** HMAC secret, or PEM private key for asymmetric algorithms. */
  signingKey: string
  /** HMAC secret, or PEM public key. */
  verifyingKey: string
  issuer: string
  audience: string
  /** Token lifetime in seconds. */
  ttlSeconds: number
}
