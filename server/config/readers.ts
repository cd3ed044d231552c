import { isAbsolute, join, resolve } from 'node:path'
import { parseDatabaseUrl, type DatabaseHost } from '../db/database-url.ts'
import type { BackupConfig, DatabaseConfig, HostIssuerConfig, JwtConfig, Mode } from './shapes.ts'
import { localSecret } from '../lib/local-secret.ts'
import { nodeFs } from '../lib/node-fs.ts'
import { ConfigError, ServerRole, unset, type Environment } from './environment.ts'

/** How each part of the configuration is read from the parsed environment. */

export function pem(value: string | undefined): string | undefined {
  if (!value) return undefined
  // A PEM may be given inline (with \n escapes) or as a file path.
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n')
  return nodeFs().readFileSync(value, 'utf8')
}

/**
 * The HMAC secret of a server without `RTKIT_JWT_SECRET` (development and
 * tests): random, never a constant in the source. It is kept in the data
 * folder, so tokens survive a restart and every process on that folder
 * (a local cluster) agrees; with `memory` it lives as long as the process.
 */
export function generatedSecret(dataDir: string | 'memory'): string {
  return localSecret(dataDir, 'jwt-secret', 32)
}

export function readJwt(env: Environment, mode: Mode, dataDir: string | 'memory'): JwtConfig {
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

export function readDatabase(env: Environment): DatabaseConfig {
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
    recover: env.RTKIT_RECOVER ?? 'stop',
  }
}

export function readHostIssuer(env: Environment, jwt: JwtConfig): HostIssuerConfig | undefined {
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
    maxLifetimeSeconds: env.RTKIT_AUTH_MAX_LIFETIME,
  }
}

/**
 * `RTKIT_REDIS_URL`: `redis://` or `rediss://` (TLS) with a host, carrying
 * the password of `RTKIT_REDIS_PASSWORD` when that is set (credentials
 * included: never print it). The password may also be in the URL
 * (`redis://:password@host:6379`), but a variable of its own is what a
 * secret store can fill (ECS `secrets`) and keeps the URL printable.
 */
export function readRedisUrl(env: Environment): URL | undefined {
  if (unset(env.RTKIT_REDIS_URL)) {
    if (!unset(env.RTKIT_REDIS_PASSWORD)) throw new ConfigError('RTKIT_REDIS_PASSWORD is set but RTKIT_REDIS_URL is not')
    return undefined
  }
  let url: URL | undefined
  try {
    url = new URL(env.RTKIT_REDIS_URL)
  } catch {
    // reported below
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname) {
    throw new ConfigError('RTKIT_REDIS_URL must be a URL like redis://host:6379 or rediss://host:6379 (TLS)')
  }
  if (!unset(env.RTKIT_REDIS_PASSWORD)) {
    if (url.password) throw new ConfigError('give the Redis password once: in RTKIT_REDIS_URL or in RTKIT_REDIS_PASSWORD, not both')
    url.password = encodeURIComponent(env.RTKIT_REDIS_PASSWORD)
  }
  return url
}

/**
 * `RTKIT_REALTIME_URL`, required by a bridge that does not run deepstream
 * itself; and a database URL for every process that reaches the database
 * without holding the embedded one (only a process running both the API and
 * the bridge can keep it).
 */
export function readRealtimeUrl(env: Environment, roles: ReadonlySet<ServerRole>, database: DatabaseConfig): string | undefined {
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
export function readDataDir(env: Environment, mode: Mode): string | 'memory' {
  const raw = env.RTKIT_DATA_DIR || (mode === 'test' ? 'memory' : join('.rtkit', 'data'))
  if (raw === 'memory') return 'memory'
  return isAbsolute(raw) ? raw : resolve(raw)
}

/** `RTKIT_BACKUP_*`: none without a folder; every hour, keeping 7, unless said otherwise. */
export function readBackup(env: Environment): BackupConfig | undefined {
  if (unset(env.RTKIT_BACKUP_DIR)) {
    const stray = (['RTKIT_BACKUP_EVERY', 'RTKIT_BACKUP_KEEP'] as const).find((name) => env[name] !== undefined && env[name] !== '')
    if (stray) throw new ConfigError(`${stray} needs RTKIT_BACKUP_DIR (the folder the exports go to)`)
    return undefined
  }
  const keep = unset(env.RTKIT_BACKUP_KEEP) ? 7 : Number(env.RTKIT_BACKUP_KEEP)
  if (!Number.isInteger(keep) || keep < 1 || keep > 10_000) {
    throw new ConfigError(`RTKIT_BACKUP_KEEP must be an integer from 1 to 10000, got "${env.RTKIT_BACKUP_KEEP}"`)
  }
  const dir = env.RTKIT_BACKUP_DIR
  return { dir: isAbsolute(dir) ? dir : resolve(dir), everyMs: env.RTKIT_BACKUP_EVERY ?? 3_600_000, keep }
}
