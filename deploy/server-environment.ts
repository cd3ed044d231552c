import type { DeploySettings } from './settings.ts'

/**
 * The environment every deployed part of the server shares, in the
 * variables README "Configuration" documents, so a Lambda, a deepstream
 * task and a bridge task read the same configuration the local server does.
 * The JWT secret is never among them: the Lambdas get its ARN
 * (`RTKIT_JWT_SECRET_ARN`), the containers get it from ECS `secrets`.
 *
 * @param rethinkdbUrl `rethinkdb://h1:28015,h2:28015,…/rtkit`
 */
export function serverEnvironment(settings: DeploySettings, rethinkdbUrl: string): Record<string, string> {
  return {
    RTKIT_ENV: 'production',
    NODE_ENV: 'production',
    RTKIT_RETHINKDB_URL: rethinkdbUrl,
    RTKIT_RETHINKDB_SHARDS: String(settings.rethinkdb.shards),
    RTKIT_RETHINKDB_REPLICAS: String(settings.rethinkdb.replicas),
    RTKIT_JWT_ALGORITHM: 'HS256',
    RTKIT_JWT_ISSUER: settings.jwt.issuer,
    RTKIT_JWT_AUDIENCE: settings.jwt.audience,
    RTKIT_JWT_TTL: String(settings.jwt.ttlSeconds),
    RTKIT_CORS_ORIGIN: settings.corsOrigin,
    RTKIT_SEED: 'false',
  }
}
