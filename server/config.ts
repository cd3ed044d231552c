import { hostname } from 'node:os'
import { ConfigError, parseEnvironment, ServerRole, unset, type AsymmetricAlgorithm } from './config/environment.ts'
import { readBackup, readRealtimeUrl, readDatabase, readDataDir, readHostIssuer, readJwt, readRedisUrl } from './config/readers.ts'
import type { Mode, ServerConfig } from './config/shapes.ts'

export { ConfigError, ServerRole, type AsymmetricAlgorithm }
export type { DatabaseConfig, HostIssuerConfig, JwtConfig, LogLevel, Mode, ServerConfig } from './config/shapes.ts'

/**
 * Reads the configuration from `env` (defaults to `process.env`).
 *
 * @throws {ConfigError} naming the variable at fault.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = parseEnvironment(source)
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
    corsOrigin: readCorsOrigin(env.RTKIT_CORS_ORIGIN, mode),
    dataDir,
    database,
    jwt,
    seed: unset(env.RTKIT_SEED) ? mode !== 'production' : env.RTKIT_SEED === 'true',
    handlerTimeoutMs: env.RTKIT_HANDLER_TIMEOUT_MS,
    realtimeMaxSubscriptions: env.RTKIT_REALTIME_MAX_SUBSCRIPTIONS,
    logLevel: env.RTKIT_LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info'),
    roles,
    // Unique per process by default: deepstream drops messages from its own serverName.
    nodeName: env.RTKIT_NODE_NAME || `${hostname()}-${process.pid}`,
    redisUrl: readRedisUrl(env),
    realtimeUrl: readRealtimeUrl(env, roles, database),
    bridgeLeaseMs: env.RTKIT_BRIDGE_LEASE_MS,
    hostIssuer: readHostIssuer(env, jwt),
    trustProxy: env.RTKIT_TRUST_PROXY === 'loopback' ? 'loopback' : env.RTKIT_TRUST_PROXY === 'true',
    metricsToken: readMetricsToken(env.RTKIT_METRICS_TOKEN),
    opsPort: env.RTKIT_OPS_PORT,
    backup: readBackup(env),
    drainMs: env.RTKIT_DRAIN_MS,
  }
}

/** `RTKIT_METRICS_TOKEN`: unset or empty turns `/metrics` off; a short one is refused (a guessable token is no protection). */
function readMetricsToken(raw: string | undefined): string | undefined {
  if (unset(raw)) return undefined
  if (raw.length < 16) throw new ConfigError('RTKIT_METRICS_TOKEN must be at least 16 characters')
  return raw
}

/**
 * `RTKIT_CORS_ORIGIN`: one origin (`https://app.example.com`), `*`, or empty
 * for none. `Access-Control-Allow-Origin` carries one value, so a list would
 * start and then fail in every browser; it is refused here instead.
 */
function readCorsOrigin(raw: string | undefined, mode: Mode): string {
  if (raw === undefined) return mode === 'production' ? '' : '*'
  const origin = raw.trim()
  if (origin === '' || origin === '*') return origin
  const parsed = URL.canParse(origin) ? new URL(origin) : undefined
  // A trailing slash is how an origin is often copied from the address bar; the header has none.
  if (parsed && (origin === parsed.origin || origin === `${parsed.origin}/`)) return parsed.origin
  throw new ConfigError(
    `RTKIT_CORS_ORIGIN must be one origin such as https://app.example.com (scheme, host and port, no path), * or empty; got ${JSON.stringify(raw)}`,
  )
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
