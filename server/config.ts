import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { Algorithm } from 'jsonwebtoken'
import * as z from 'zod/mini'
import { parseDatabaseUrl, type DatabaseHost } from './db/database-url.ts'

/**
 * Server configuration, read from environment variables once, through one
 * schema ({@link environment}). Every variable is documented in README.md
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
  logLevel: LogLevel
  /** The parts this process runs (`RTKIT_ROLE`); all three by default. */
  roles: ReadonlySet<ServerRole>
  /** This node's name (`RTKIT_NODE_NAME`): deepstream's `serverName`, the bridge lease holder. */
  nodeName: string
  /** `redis://` or `rediss://` of the cluster bus and the bridge lease; `undefined` runs a single node. */
  redisUrl: URL | undefined
  /** deepstream for a `bridge` process that does not run `realtime` itself (`RTKIT_REALTIME_URL`). */
  realtimeUrl: string | undefined
  /** How long the bridge lease outlives its holder's last renewal, ms (`RTKIT_BRIDGE_LEASE_MS`). */
  bridgeLeaseMs: number
  /** A host app's token issuer, trusted besides rtkit's own accounts; `undefined` when not configured. */
  hostIssuer: HostIssuerConfig | undefined
  /** Take the client address from `X-Forwarded-For` (behind a trusted balancer), for login throttling. */
  trustProxy: boolean
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
}

/**
 * The parts one server process can run, in any combination (`RTKIT_ROLE`):
 * the local API gateway, deepstream, the changefeed bridge.
 */
export const ServerRole = { api: 'api', realtime: 'realtime', bridge: 'bridge' } as const
export type ServerRole = (typeof ServerRole)[keyof typeof ServerRole]
const ROLES = Object.values(ServerRole)

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

/** Thrown at start-up when the environment is unusable; the message says which variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number]
const ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
] as const satisfies readonly Algorithm[]
const MODES = ['development', 'production', 'test'] as const
const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const

/** An unset or empty variable. */
const unset = (raw: string | undefined): raw is undefined | '' => raw === undefined || raw === ''

/** A non-negative integer variable with a default. */
function count(name: string, fallback: number) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((raw, context) => {
      if (unset(raw)) return fallback
      const value = Number(raw)
      if (Number.isInteger(value) && value >= 0) return value
      context.issues.push({ code: 'custom', input: raw, message: `${name} must be a non-negative integer, got "${raw}"` })
      return z.NEVER
    }),
  )
}

/** A positive integer variable with a default, at most `max`. */
function positive(name: string, fallback: number, max: number) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((raw, context) => {
      if (unset(raw)) return fallback
      const value = Number(raw)
      if (Number.isInteger(value) && value >= 1 && value <= max) return value
      context.issues.push({ code: 'custom', input: raw, message: `${name} must be an integer from 1 to ${max}, got "${raw}"` })
      return z.NEVER
    }),
  )
}

/** `RTKIT_ROLE`: a comma list of roles, all of them when unset. */
const roleList = z.pipe(
  z.optional(z.string()),
  z.transform((raw, context): ReadonlySet<ServerRole> => {
    if (unset(raw)) return new Set(ROLES)
    const names = raw.split(',').map((name) => name.trim())
    const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name))
    if (unknown.length === 0 && names.length > 0) return new Set(names as ServerRole[])
    context.issues.push({ code: 'custom', input: raw, message: `RTKIT_ROLE must be a comma list of ${ROLES.join(', ')}, got "${raw}"` })
    return z.NEVER
  }),
)

/** One of `values`, or `undefined` when unset. */
function oneOf<const V extends readonly string[]>(name: string, values: V, phrase = `one of ${values.join(', ')}`) {
  return z.optional(z.enum(values, { error: () => `${name} must be ${phrase}` }))
}

/**
 * The environment, parsed and checked as a whole. Cross-variable rules (a
 * secret required in production, keys required for an algorithm) follow in
 * {@link loadConfig}.
 */
const environment = z.object({
  RTKIT_ENV: oneOf('RTKIT_ENV', MODES, 'development, production or test'),
  NODE_ENV: z.optional(z.string()),
  RTKIT_HOST: z.optional(z.string()),
  RTKIT_API_PORT: count('RTKIT_API_PORT', 3000),
  RTKIT_REALTIME_PORT: count('RTKIT_REALTIME_PORT', 6020),
  RTKIT_REALTIME_PATH: z.optional(z.string()),
  RTKIT_DEMO_PORT: count('RTKIT_DEMO_PORT', 5173),
  RTKIT_CORS_ORIGIN: z.optional(z.string()),
  RTKIT_DATA_DIR: z.optional(z.string()),
  RTKIT_RETHINKDB_URL: z.optional(z.string()),
  RTKIT_RETHINKDB_DB: z.optional(z.string()),
  RTKIT_RETHINKDB_TLS_CA: z.optional(z.string()),
  RTKIT_EMBEDDED_DB_PORT: count('RTKIT_EMBEDDED_DB_PORT', 0),
  RTKIT_JWT_ALGORITHM: oneOf('RTKIT_JWT_ALGORITHM', ALGORITHMS),
  RTKIT_JWT_SECRET: z.optional(z.string().check(z.minLength(32, 'RTKIT_JWT_SECRET must be at least 32 characters'))),
  RTKIT_JWT_PRIVATE_KEY: z.optional(z.string()),
  RTKIT_JWT_PUBLIC_KEY: z.optional(z.string()),
  RTKIT_JWT_ISSUER: z.optional(z.string()),
  RTKIT_JWT_AUDIENCE: z.optional(z.string()),
  RTKIT_JWT_TTL: count('RTKIT_JWT_TTL', 3600),
  RTKIT_SEED: z.optional(z.string()),
  RTKIT_HANDLER_TIMEOUT_MS: count('RTKIT_HANDLER_TIMEOUT_MS', 10_000),
  RTKIT_LOG_LEVEL: oneOf('RTKIT_LOG_LEVEL', LOG_LEVELS),
  RTKIT_AUTH_ISSUER: z.optional(z.string()),
  RTKIT_AUTH_AUDIENCE: z.optional(z.string()),
  RTKIT_AUTH_JWKS_URL: z.optional(z.string()),
  RTKIT_AUTH_PUBLIC_KEY: z.optional(z.string()),
  RTKIT_AUTH_ALGORITHM: oneOf(
    'RTKIT_AUTH_ALGORITHM',
    ASYMMETRIC_ALGORITHMS,
    `an asymmetric algorithm: ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
  ),
  RTKIT_TRUST_PROXY: z.optional(z.string()),
  RTKIT_ROLE: roleList,
  RTKIT_NODE_NAME: z.optional(z.string()),
  RTKIT_REDIS_URL: z.optional(z.string()),
  RTKIT_REALTIME_URL: z.optional(z.string()),
  // RethinkDB allows at most 64 shards; replicas beyond the node count fail at table creation, with RethinkDB's message.
  RTKIT_RETHINKDB_SHARDS: positive('RTKIT_RETHINKDB_SHARDS', 1, 64),
  RTKIT_RETHINKDB_REPLICAS: positive('RTKIT_RETHINKDB_REPLICAS', 1, 64),
  RTKIT_BRIDGE_LEASE_MS: positive('RTKIT_BRIDGE_LEASE_MS', 3_000, 60_000),
})
type Environment = z.output<typeof environment>

function pem(value: string | undefined): string | undefined {
  if (!value) return undefined
  // A PEM may be given inline (with \n escapes) or as a file path.
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n')
  return readFileSync(value, 'utf8')
}

let memorySecret: string | undefined

/**
 * The HMAC secret of a server without `RTKIT_JWT_SECRET` (development and
 * tests): random, never a constant in the source. It is kept in the data
 * folder, so tokens survive a restart and every process on that folder
 * (a local cluster) agrees; with `memory` it lives as long as the process.
 */
function generatedSecret(dataDir: string | 'memory'): string {
  if (dataDir === 'memory') {
    memorySecret ??= randomBytes(32).toString('base64url')
    return memorySecret
  }
  const path = join(dataDir, 'jwt-secret')
  mkdirSync(dataDir, { recursive: true })
  try {
    // `wx`: of two processes starting together, one creates it and both read it.
    writeFileSync(path, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return readFileSync(path, 'utf8').trim()
}

function readJwt(env: Environment, mode: Mode, dataDir: string | 'memory'): JwtConfig {
  const algorithm = env.RTKIT_JWT_ALGORITHM ?? 'HS256'
  const common = {
    algorithm,
    issuer: env.RTKIT_JWT_ISSUER ?? 'rtkit',
    audience: env.RTKIT_JWT_AUDIENCE ?? 'rtkit',
    ttlSeconds: env.RTKIT_JWT_TTL,
  }
  if (algorithm.startsWith('HS')) {
    if (!env.RTKIT_JWT_SECRET && mode === 'production') throw new ConfigError('RTKIT_JWT_SECRET is required in production')
    const secret = env.RTKIT_JWT_SECRET || generatedSecret(dataDir)
    return { ...common, signingKey: secret, verifyingKey: secret }
  }
  const privateKey = pem(env.RTKIT_JWT_PRIVATE_KEY)
  const publicKey = pem(env.RTKIT_JWT_PUBLIC_KEY)
  if (!privateKey || !publicKey) {
    throw new ConfigError(`RTKIT_JWT_PRIVATE_KEY and RTKIT_JWT_PUBLIC_KEY are required for ${algorithm}`)
  }
  return { ...common, signingKey: privateKey, verifyingKey: publicKey }
}

function readDatabase(env: Environment): DatabaseConfig {
  let url: URL | undefined
  let hosts: readonly DatabaseHost[] = []
  if (!unset(env.RTKIT_RETHINKDB_URL)) {
    try {
      ;({ url, hosts } = parseDatabaseUrl(env.RTKIT_RETHINKDB_URL))
    } catch {
      throw new ConfigError(
        'RTKIT_RETHINKDB_URL must be a URL like rethinkdb://user:password@host:28015/db or rethinkdb://user:password@h1:28015,h2:28015/db',
      )
    }
  }
  const dbFromUrl = url?.pathname.replace(/^\//, '') || undefined
  return {
    url,
    hosts,
    shards: env.RTKIT_RETHINKDB_SHARDS,
    replicas: env.RTKIT_RETHINKDB_REPLICAS,
    db: env.RTKIT_RETHINKDB_DB || dbFromUrl || 'rtkit',
    tlsCa: pem(env.RTKIT_RETHINKDB_TLS_CA),
    embeddedPort: env.RTKIT_EMBEDDED_DB_PORT,
  }
}

function readHostIssuer(env: Environment, jwt: JwtConfig): HostIssuerConfig | undefined {
  const issuer = env.RTKIT_AUTH_ISSUER
  const related = [env.RTKIT_AUTH_AUDIENCE, env.RTKIT_AUTH_JWKS_URL, env.RTKIT_AUTH_PUBLIC_KEY, env.RTKIT_AUTH_ALGORITHM]
  if (unset(issuer)) {
    if (related.some((value) => !unset(value))) throw new ConfigError('RTKIT_AUTH_ISSUER is required with the other RTKIT_AUTH_* variables')
    return undefined
  }
  if (issuer === jwt.issuer)
    throw new ConfigError(`RTKIT_AUTH_ISSUER must differ from rtkit's own issuer "${jwt.issuer}" (RTKIT_JWT_ISSUER)`)
  if (unset(env.RTKIT_AUTH_AUDIENCE)) throw new ConfigError('RTKIT_AUTH_AUDIENCE is required with RTKIT_AUTH_ISSUER')
  const hasJwks = !unset(env.RTKIT_AUTH_JWKS_URL)
  if (hasJwks === !unset(env.RTKIT_AUTH_PUBLIC_KEY)) {
    throw new ConfigError('RTKIT_AUTH_ISSUER needs exactly one of RTKIT_AUTH_JWKS_URL and RTKIT_AUTH_PUBLIC_KEY')
  }
  let jwksUrl: URL | undefined
  if (hasJwks) {
    try {
      jwksUrl = new URL(env.RTKIT_AUTH_JWKS_URL!)
    } catch {
      throw new ConfigError('RTKIT_AUTH_JWKS_URL must be a URL like https://auth.example.com/.well-known/jwks.json')
    }
    if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:') throw new ConfigError('RTKIT_AUTH_JWKS_URL must be an http(s) URL')
  }
  return {
    issuer,
    audience: env.RTKIT_AUTH_AUDIENCE,
    algorithm: env.RTKIT_AUTH_ALGORITHM ?? 'RS256',
    jwksUrl,
    publicKey: pem(env.RTKIT_AUTH_PUBLIC_KEY),
  }
}

/** `RTKIT_REDIS_URL`: `redis://` or `rediss://` (TLS) with a host. */
function readRedisUrl(env: Environment): URL | undefined {
  if (unset(env.RTKIT_REDIS_URL)) return undefined
  let url: URL | undefined
  try {
    url = new URL(env.RTKIT_REDIS_URL)
  } catch {
    // reported below
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname) {
    throw new ConfigError('RTKIT_REDIS_URL must be a URL like redis://host:6379 or rediss://host:6379 (TLS)')
  }
  return url
}

/**
 * `RTKIT_REALTIME_URL`, required by a bridge that does not run deepstream
 * itself; and a database URL for every process that reaches the database
 * without holding the embedded one (only a process running both the API and
 * the bridge can keep it).
 */
function checkRoles(env: Environment, roles: ReadonlySet<ServerRole>, database: DatabaseConfig): string | undefined {
  let realtimeUrl: string | undefined
  if (!unset(env.RTKIT_REALTIME_URL)) {
    if (!/^wss?:\/\/[^/]+/.test(env.RTKIT_REALTIME_URL)) {
      throw new ConfigError('RTKIT_REALTIME_URL must be a URL like ws://realtime.internal:6020/deepstream')
    }
    realtimeUrl = env.RTKIT_REALTIME_URL
  }
  if (roles.has(ServerRole.bridge) && !roles.has(ServerRole.realtime) && !realtimeUrl) {
    throw new ConfigError('RTKIT_REALTIME_URL is required when RTKIT_ROLE runs the bridge without realtime')
  }
  const needsDatabase = roles.has(ServerRole.api) || roles.has(ServerRole.bridge)
  const holdsEmbedded = roles.has(ServerRole.api) && roles.has(ServerRole.bridge)
  if (needsDatabase && !holdsEmbedded && !database.url) {
    throw new ConfigError(
      `RTKIT_RETHINKDB_URL is required when RTKIT_ROLE is ${[...roles].join(',')}: the embedded database runs only in a process with both api and bridge`,
    )
  }
  return realtimeUrl
}

/** `RTKIT_DATA_DIR` resolved against the working folder; tests default to memory. */
function readDataDir(env: Environment, mode: Mode): string | 'memory' {
  const raw = env.RTKIT_DATA_DIR || (mode === 'test' ? 'memory' : join('.rtkit', 'data'))
  if (raw === 'memory') return 'memory'
  return isAbsolute(raw) ? raw : resolve(raw)
}

/**
 * Reads the configuration from `env` (defaults to `process.env`).
 *
 * @throws {ConfigError} naming the variable at fault.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = environment.safeParse(source)
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message).join('; '))
  const env = parsed.data
  const mode: Mode = env.RTKIT_ENV ?? (env.NODE_ENV === 'production' ? 'production' : 'development')
  const dataDir = readDataDir(env, mode)
  const database = readDatabase(env)
  const roles = env.RTKIT_ROLE
  const jwt = readJwt(env, mode, dataDir)
  return {
    env: mode,
    host: env.RTKIT_HOST || '127.0.0.1',
    apiPort: env.RTKIT_API_PORT,
    realtimePort: env.RTKIT_REALTIME_PORT,
    realtimePath: env.RTKIT_REALTIME_PATH || '/deepstream',
    demoPort: env.RTKIT_DEMO_PORT,
    corsOrigin: env.RTKIT_CORS_ORIGIN ?? (mode === 'production' ? '' : '*'),
    dataDir,
    database,
    jwt,
    seed: unset(env.RTKIT_SEED) ? mode !== 'production' : env.RTKIT_SEED === 'true',
    handlerTimeoutMs: env.RTKIT_HANDLER_TIMEOUT_MS,
    logLevel: env.RTKIT_LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info'),
    roles,
    // Unique per process by default: deepstream drops messages from its own serverName.
    nodeName: env.RTKIT_NODE_NAME || `${hostname()}-${process.pid}`,
    redisUrl: readRedisUrl(env),
    realtimeUrl: checkRoles(env, roles, database),
    bridgeLeaseMs: env.RTKIT_BRIDGE_LEASE_MS,
    hostIssuer: readHostIssuer(env, jwt),
    trustProxy: env.RTKIT_TRUST_PROXY === 'true',
  }
}

let cached: ServerConfig | undefined

/** The process-wide configuration, read on first use (a Lambda reads it once per cold start). */
export function config(): ServerConfig {
  cached ??= loadConfig()
  return cached
}

/** Replaces the process-wide configuration (the stack sets the embedded database URL this way). */
export function useConfig(next: ServerConfig): void {
  cached = next
}
