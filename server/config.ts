import { readFileSync } from 'node:fs'
import type { Algorithm } from 'jsonwebtoken'

/**
 * Server configuration, read from environment variables once. Every variable
 * is documented in README.md ("Configuration").
 */
export interface ServerConfig {
  env: 'development' | 'production' | 'test'
  host: string
  apiPort: number
  realtimePort: number
  realtimePath: string
  demoPort: number
  corsOrigin: string
  database: DatabaseConfig
  jwt: JwtConfig
  /** Seed demo users and data on start (development only by default). */
  seed: boolean
  /** Lambda-like timeout of one handler invocation in the local gateway, ms. */
  handlerTimeoutMs: number
}

export interface DatabaseConfig {
  /** `undefined` runs the embedded RethinkDB-wire server. */
  url: URL | undefined
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

const DEVELOPMENT_SECRET = 'rtkit-development-secret-change-me-in-production'

/** Thrown at start-up when the environment is unusable; the message says which variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`)
  return value
}

function pem(value: string | undefined): string | undefined {
  if (!value) return undefined
  // A PEM may be given inline (with \n escapes) or as a file path.
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n')
  return readFileSync(value, 'utf8')
}

function readJwt(env: NodeJS.ProcessEnv, mode: ServerConfig['env']): JwtConfig {
  const algorithm = (env.RTKIT_JWT_ALGORITHM ?? 'HS256') as Algorithm
  const allowed: Algorithm[] = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256']
  if (!allowed.includes(algorithm)) throw new ConfigError(`RTKIT_JWT_ALGORITHM must be one of ${allowed.join(', ')}`)
  const common = {
    algorithm,
    issuer: env.RTKIT_JWT_ISSUER ?? 'rtkit',
    audience: env.RTKIT_JWT_AUDIENCE ?? 'rtkit',
    ttlSeconds: int(env, 'RTKIT_JWT_TTL', 3600),
  }
  if (algorithm.startsWith('HS')) {
    const secret = env.RTKIT_JWT_SECRET ?? (mode === 'production' ? undefined : DEVELOPMENT_SECRET)
    if (!secret) throw new ConfigError('RTKIT_JWT_SECRET is required in production')
    if (secret.length < 32) throw new ConfigError('RTKIT_JWT_SECRET must be at least 32 characters')
    return { ...common, signingKey: secret, verifyingKey: secret }
  }
  const privateKey = pem(env.RTKIT_JWT_PRIVATE_KEY)
  const publicKey = pem(env.RTKIT_JWT_PUBLIC_KEY)
  if (!privateKey || !publicKey) {
    throw new ConfigError(`RTKIT_JWT_PRIVATE_KEY and RTKIT_JWT_PUBLIC_KEY are required for ${algorithm}`)
  }
  return { ...common, signingKey: privateKey, verifyingKey: publicKey }
}

function readDatabase(env: NodeJS.ProcessEnv): DatabaseConfig {
  const raw = env.RTKIT_RETHINKDB_URL
  let url: URL | undefined
  if (raw) {
    try {
      url = new URL(raw)
    } catch {
      throw new ConfigError('RTKIT_RETHINKDB_URL must be a URL like rethinkdb://user:password@host:28015/db')
    }
  }
  const dbFromUrl = url?.pathname.replace(/^\//, '') || undefined
  return {
    url,
    db: env.RTKIT_RETHINKDB_DB ?? dbFromUrl ?? 'rtkit',
    tlsCa: pem(env.RTKIT_RETHINKDB_TLS_CA),
    embeddedPort: int(env, 'RTKIT_EMBEDDED_DB_PORT', 0),
  }
}

/** Reads the configuration from `env` (defaults to `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const mode = (env.RTKIT_ENV ?? (env.NODE_ENV === 'production' ? 'production' : 'development')) as ServerConfig['env']
  if (!['development', 'production', 'test'].includes(mode)) {
    throw new ConfigError('RTKIT_ENV must be development, production or test')
  }
  return {
    env: mode,
    host: env.RTKIT_HOST ?? '127.0.0.1',
    apiPort: int(env, 'RTKIT_API_PORT', 3000),
    realtimePort: int(env, 'RTKIT_REALTIME_PORT', 6020),
    realtimePath: env.RTKIT_REALTIME_PATH ?? '/deepstream',
    demoPort: int(env, 'RTKIT_DEMO_PORT', 5173),
    corsOrigin: env.RTKIT_CORS_ORIGIN ?? (mode === 'production' ? '' : '*'),
    database: readDatabase(env),
    jwt: readJwt(env, mode),
    seed: env.RTKIT_SEED ? env.RTKIT_SEED === 'true' : mode !== 'production',
    handlerTimeoutMs: int(env, 'RTKIT_HANDLER_TIMEOUT_MS', 10_000),
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
