import type { Algorithm } from 'jsonwebtoken'
import * as z from 'zod/mini'
import { firstUse } from '../lib/first-use.ts'

/**
 * The environment variables the server reads, parsed and checked by one zod
 * schema with messages that name the variable (cross-variable rules follow
 * in `readers.ts`). Every variable is documented in README.md ("Configuration").
 */

/** Thrown at start-up when the environment is unusable; the message says which variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * The parts one server process can run, in any combination (`RTKIT_ROLE`):
 * the local API gateway, deepstream, the changefeed bridge.
 */
export const ServerRole = { api: 'api', realtime: 'realtime', bridge: 'bridge' } as const
export type ServerRole = (typeof ServerRole)[keyof typeof ServerRole]
const ROLES = Object.values(ServerRole)

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const
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
export const unset = (raw: string | undefined): raw is undefined | '' => raw === undefined || raw === ''

/**
 * A variable read as text, `undefined` when unset. One schema serves every
 * variable (a zod schema is immutable): building one per variable was most
 * of the cost of reading the environment. Built on first use, as the whole
 * schema is ({@link parseEnvironment}).
 */
const anyText = firstUse(() => z.optional(z.string()))

/** A non-negative integer variable with a default. */
function count(name: string, fallback: number) {
  return z.pipe(
    anyText(),
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
    anyText(),
    z.transform((raw, context) => {
      if (unset(raw)) return fallback
      const value = Number(raw)
      if (Number.isInteger(value) && value >= 1 && value <= max) return value
      context.issues.push({ code: 'custom', input: raw, message: `${name} must be an integer from 1 to ${max}, got "${raw}"` })
      return z.NEVER
    }),
  )
}

/** A duration in seconds (`90`) or with a unit (`500ms`, `30s`, `15m`, `1h`, `1d`), as ms; at least 1 s. */
function readDuration(name: string, raw: string): number | string {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim())
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match?.[2] ?? 's'] ?? 1_000
  const ms = match ? Number(match[1]) * unit : NaN
  if (ms >= 1_000 && Number.isSafeInteger(ms)) return ms
  return `${name} must be a duration of at least 1 s, in seconds or with a unit (90, 30s, 15m, 1h, 1d), got "${raw}"`
}

/** A duration variable (see {@link readDuration}), `undefined` when unset. */
function duration(name: string) {
  return z.pipe(
    anyText(),
    z.transform((raw, context) => {
      if (unset(raw)) return undefined
      const ms = readDuration(name, raw)
      if (typeof ms === 'number') return ms
      context.issues.push({ code: 'custom', input: raw, message: ms })
      return z.NEVER
    }),
  )
}

/** `RTKIT_ROLE`: a comma list of roles, all of them when unset. */
const roleList = () =>
  z.pipe(
    anyText(),
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
function environmentSchema() {
  return z.object({
    RTKIT_ENV: oneOf('RTKIT_ENV', MODES, 'development, production or test'),
    NODE_ENV: anyText(),
    RTKIT_HOST: anyText(),
    RTKIT_API_PORT: count('RTKIT_API_PORT', 3000),
    RTKIT_REALTIME_PORT: count('RTKIT_REALTIME_PORT', 6020),
    RTKIT_REALTIME_PATH: anyText(),
    RTKIT_DEMO_PORT: count('RTKIT_DEMO_PORT', 5173),
    RTKIT_CORS_ORIGIN: anyText(),
    RTKIT_DATA_DIR: anyText(),
    RTKIT_RETHINKDB_URL: anyText(),
    RTKIT_RETHINKDB_DB: anyText(),
    RTKIT_RETHINKDB_TLS_CA: anyText(),
    RTKIT_EMBEDDED_DB_PORT: count('RTKIT_EMBEDDED_DB_PORT', 0),
    RTKIT_RECOVER: oneOf('RTKIT_RECOVER', ['stop', 'skip-damaged'] as const),
    RTKIT_JWT_ALGORITHM: oneOf('RTKIT_JWT_ALGORITHM', ALGORITHMS),
    RTKIT_JWT_SECRET: z.optional(z.string().check(z.minLength(32, 'RTKIT_JWT_SECRET must be at least 32 characters'))),
    RTKIT_JWT_PRIVATE_KEY: anyText(),
    RTKIT_JWT_PUBLIC_KEY: anyText(),
    RTKIT_JWT_ISSUER: anyText(),
    RTKIT_JWT_AUDIENCE: anyText(),
    RTKIT_JWT_TTL: count('RTKIT_JWT_TTL', 3600),
    RTKIT_SEED: anyText(),
    RTKIT_CONFIG: anyText(),
    RTKIT_HANDLER_TIMEOUT_MS: count('RTKIT_HANDLER_TIMEOUT_MS', 10_000),
    RTKIT_REALTIME_MAX_SUBSCRIPTIONS: count('RTKIT_REALTIME_MAX_SUBSCRIPTIONS', 1_000),
    RTKIT_LOG_LEVEL: oneOf('RTKIT_LOG_LEVEL', LOG_LEVELS),
    RTKIT_AUTH_ISSUER: anyText(),
    RTKIT_AUTH_AUDIENCE: anyText(),
    RTKIT_AUTH_JWKS_URL: anyText(),
    RTKIT_AUTH_PUBLIC_KEY: anyText(),
    RTKIT_AUTH_ALGORITHM: oneOf(
      'RTKIT_AUTH_ALGORITHM',
      ASYMMETRIC_ALGORITHMS,
      `an asymmetric algorithm: ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
    ),
    // A day by default; at most a year.
    RTKIT_AUTH_MAX_LIFETIME: positive('RTKIT_AUTH_MAX_LIFETIME', 86_400, 31_536_000),
    RTKIT_TRUST_PROXY: anyText(),
    RTKIT_ROLE: roleList(),
    RTKIT_NODE_NAME: anyText(),
    RTKIT_REDIS_URL: anyText(),
    RTKIT_REDIS_PASSWORD: anyText(),
    RTKIT_REALTIME_URL: anyText(),
    // RethinkDB allows at most 64 shards; replicas beyond the node count fail at table creation, with RethinkDB's message.
    RTKIT_RETHINKDB_SHARDS: positive('RTKIT_RETHINKDB_SHARDS', 1, 64),
    RTKIT_RETHINKDB_REPLICAS: positive('RTKIT_RETHINKDB_REPLICAS', 1, 64),
    RTKIT_BRIDGE_LEASE_MS: positive('RTKIT_BRIDGE_LEASE_MS', 3_000, 60_000),
    RTKIT_METRICS_TOKEN: anyText(),
    // 0 (the default) picks a free port, printed on the ready line.
    RTKIT_OPS_PORT: count('RTKIT_OPS_PORT', 0),
    // Scheduled exports (README, "Backup and restore"); the other two need RTKIT_BACKUP_DIR.
    RTKIT_BACKUP_DIR: anyText(),
    RTKIT_BACKUP_EVERY: duration('RTKIT_BACKUP_EVERY'),
    RTKIT_BACKUP_KEEP: anyText(),
    // How long a stopping node lets in-flight requests and sockets finish; at most 5 minutes.
    RTKIT_DRAIN_MS: positive('RTKIT_DRAIN_MS', 10_000, 300_000),
  })
}
export type Environment = z.output<ReturnType<typeof environmentSchema>>

const environment = firstUse(environmentSchema)

/**
 * Parses `source` with the schema, built on first use: a process reads its
 * environment once (a Lambda on its first request), so an import builds nothing.
 */
export function parseEnvironment(source: NodeJS.ProcessEnv): ReturnType<ReturnType<typeof environmentSchema>['safeParse']> {
  return environment().safeParse(source)
}
