/**
 * Environment for a stack in tests and benchmarks: test mode, demo data,
 * ephemeral ports on loopback, and always the embedded database (a
 * developer's `RTKIT_RETHINKDB_URL` is never touched by tests).
 */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RTKIT_ENV: 'test',
    RTKIT_SEED: 'true',
    RTKIT_HOST: '127.0.0.1',
    RTKIT_API_PORT: '0',
    RTKIT_REALTIME_PORT: '0',
    RTKIT_DEMO_PORT: '0',
    RTKIT_EMBEDDED_DB_PORT: '0',
    RTKIT_CORS_ORIGIN: '*',
    RTKIT_RETHINKDB_URL: '',
    RTKIT_DATA_DIR: 'memory',
    ...extra,
  }
}
