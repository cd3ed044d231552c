import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ConfigError, loadConfig } from './config.ts'

const folders: string[] = []
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-config-'))
  folders.push(dir)
  return dir
}
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true })
})

describe('configuration', () => {
  it('requires a secret in production', () => {
    assert.throws(() => loadConfig({ RTKIT_ENV: 'production' }), /RTKIT_JWT_SECRET is required in production/)
  })
  it('refuses a short secret', () => {
    assert.throws(() => loadConfig({ RTKIT_JWT_SECRET: 'short' }), /RTKIT_JWT_SECRET must be at least 32 characters/)
  })
  it('refuses a malformed port, naming the variable and the value', () => {
    assert.throws(() => loadConfig({ RTKIT_API_PORT: 'eighty' }), {
      name: 'ConfigError',
      message: 'RTKIT_API_PORT must be a non-negative integer, got "eighty"',
    })
  })
  it('takes one CORS origin, and refuses a list or a path, which browsers would refuse on every request', () => {
    const corsOrigin = (value: string) => loadConfig({ RTKIT_DATA_DIR: 'memory', RTKIT_CORS_ORIGIN: value }).corsOrigin
    assert.equal(corsOrigin('https://app.example.com'), 'https://app.example.com')
    assert.equal(corsOrigin('http://127.0.0.1:8090/'), 'http://127.0.0.1:8090', 'as copied from the address bar')
    assert.equal(corsOrigin('*'), '*')
    assert.equal(corsOrigin(''), '')
    for (const value of [
      'http://a.example, http://b.example',
      'http://a.example http://b.example',
      'https://app.example.com/app',
      'app.example.com',
    ]) {
      assert.throws(() => corsOrigin(value), {
        name: 'ConfigError',
        message: `RTKIT_CORS_ORIGIN must be one origin such as https://app.example.com (scheme, host and port, no path), * or empty; got ${JSON.stringify(value)}`,
      })
    }
  })
  it('refuses an unknown mode and an unknown algorithm', () => {
    assert.throws(() => loadConfig({ RTKIT_ENV: 'staging' }), { message: 'RTKIT_ENV must be development, production or test' })
    assert.throws(() => loadConfig({ RTKIT_ENV: 'test', RTKIT_JWT_ALGORITHM: 'none' }), /RTKIT_JWT_ALGORITHM must be one of HS256/)
  })
  it('refuses a malformed database URL', () => {
    assert.throws(() => loadConfig({ RTKIT_ENV: 'test', RTKIT_RETHINKDB_URL: 'not a url' }), ConfigError)
  })
  it('requires both keys for an asymmetric algorithm', () => {
    assert.throws(
      () => loadConfig({ RTKIT_ENV: 'test', RTKIT_JWT_ALGORITHM: 'RS256' }),
      /RTKIT_JWT_PRIVATE_KEY and RTKIT_JWT_PUBLIC_KEY are required for RS256/,
    )
  })
  it('reads defaults', () => {
    const config = loadConfig({ RTKIT_ENV: 'test' })
    assert.equal(config.apiPort, 3000)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.dataDir, 'memory')
    assert.equal(config.jwt.algorithm, 'HS256')
    assert.equal(config.seed, true)
  })
})

describe('the development secret', () => {
  it('is random, not a constant of the source, when nothing is kept on disk', () => {
    const secret = loadConfig({ RTKIT_ENV: 'test' }).jwt.signingKey
    assert.ok(secret.length >= 32)
    const source = readFileSync(new URL('./config.ts', import.meta.url), 'utf8')
    assert.ok(!source.includes(secret))
  })

  it('is kept in the data folder, readable by its owner only, and the same on the next start', () => {
    const dir = dataDir()
    const first = loadConfig({ RTKIT_ENV: 'development', RTKIT_DATA_DIR: dir }).jwt.signingKey
    const second = loadConfig({ RTKIT_ENV: 'development', RTKIT_DATA_DIR: dir }).jwt.signingKey
    assert.equal(first, second)
    assert.equal(readFileSync(join(dir, 'jwt-secret'), 'utf8'), first)
    assert.equal(statSync(join(dir, 'jwt-secret')).mode & 0o777, 0o600)
  })

  it('differs between data folders', () => {
    const a = loadConfig({ RTKIT_ENV: 'development', RTKIT_DATA_DIR: dataDir() }).jwt.signingKey
    const b = loadConfig({ RTKIT_ENV: 'development', RTKIT_DATA_DIR: dataDir() }).jwt.signingKey
    assert.notEqual(a, b)
  })

  it('gives way to RTKIT_JWT_SECRET', () => {
    const secret = 'x'.repeat(40)
    const dir = dataDir()
    assert.equal(loadConfig({ RTKIT_DATA_DIR: dir, RTKIT_JWT_SECRET: secret }).jwt.signingKey, secret)
  })
})

describe('roles and the cluster', () => {
  const base = { RTKIT_ENV: 'test' }

  it('runs every role by default, as one node without Redis, named uniquely', () => {
    const config = loadConfig(base)
    assert.deepEqual([...config.roles], ['api', 'realtime', 'bridge'])
    assert.equal(config.redisUrl, undefined)
    assert.match(config.nodeName, new RegExp(`-${process.pid}$`))
  })

  it('reads a role list, a node name and a Redis URL (TLS included)', () => {
    const config = loadConfig({
      ...base,
      RTKIT_ROLE: 'realtime',
      RTKIT_NODE_NAME: 'rt-1',
      RTKIT_REDIS_URL: 'rediss://cache.internal:6379',
    })
    assert.deepEqual([...config.roles], ['realtime'])
    assert.equal(config.nodeName, 'rt-1')
    assert.equal(config.redisUrl?.protocol, 'rediss:')
  })

  it('puts RTKIT_REDIS_PASSWORD into the Redis URL, and takes the password once', () => {
    const url = 'redis://cache.internal:6379'
    assert.equal(loadConfig({ ...base, RTKIT_REDIS_URL: url, RTKIT_REDIS_PASSWORD: 'p@ss/word' }).redisUrl?.password, 'p%40ss%2Fword')
    assert.equal(loadConfig({ ...base, RTKIT_REDIS_URL: 'redis://:secret@cache.internal:6379' }).redisUrl?.password, 'secret')
    assert.throws(
      () => loadConfig({ ...base, RTKIT_REDIS_URL: 'redis://:secret@cache.internal:6379', RTKIT_REDIS_PASSWORD: 'other' }),
      /give the Redis password once/,
    )
    assert.throws(() => loadConfig({ ...base, RTKIT_REDIS_PASSWORD: 'secret' }), /RTKIT_REDIS_PASSWORD is set but RTKIT_REDIS_URL is not/)
  })

  it('refuses an unknown role and a Redis URL of another scheme', () => {
    assert.throws(() => loadConfig({ ...base, RTKIT_ROLE: 'api,worker' }), {
      message: 'RTKIT_ROLE must be a comma list of api, realtime, bridge, got "api,worker"',
    })
    assert.throws(
      () => loadConfig({ ...base, RTKIT_REDIS_URL: 'http://cache:6379' }),
      /RTKIT_REDIS_URL must be a URL like redis:\/\/host:6379/,
    )
  })

  it('needs RTKIT_REALTIME_URL for a bridge without deepstream', () => {
    const database = { RTKIT_RETHINKDB_URL: 'rethinkdb://db:28015/rtkit' }
    assert.throws(() => loadConfig({ ...base, ...database, RTKIT_ROLE: 'bridge' }), /RTKIT_REALTIME_URL is required/)
    const config = loadConfig({ ...base, ...database, RTKIT_ROLE: 'bridge', RTKIT_REALTIME_URL: 'ws://realtime.internal:6020/deepstream' })
    assert.equal(config.realtimeUrl, 'ws://realtime.internal:6020/deepstream')
  })

  it('needs a database URL unless one process holds the API and the bridge (the embedded database)', () => {
    assert.throws(() => loadConfig({ ...base, RTKIT_ROLE: 'api' }), /RTKIT_RETHINKDB_URL is required when RTKIT_ROLE is api/)
    assert.doesNotThrow(() => loadConfig({ ...base, RTKIT_ROLE: 'realtime' }), 'deepstream alone never reaches the database')
    assert.doesNotThrow(() => loadConfig({ ...base, RTKIT_ROLE: 'api,bridge,realtime' }))
  })

  it('reads several database hosts, and the tables’ shards and replicas', () => {
    const config = loadConfig({
      ...base,
      RTKIT_RETHINKDB_URL: 'rethinkdb://admin:pw@db-0:28015,db-1:28015,db-2:28015/rtkit',
      RTKIT_RETHINKDB_SHARDS: '2',
      RTKIT_RETHINKDB_REPLICAS: '3',
    })
    assert.deepEqual(
      config.database.hosts.map((h) => `${h.host}:${h.port}`),
      ['db-0:28015', 'db-1:28015', 'db-2:28015'],
    )
    assert.equal(config.database.db, 'rtkit')
    assert.equal(config.database.shards, 2)
    assert.equal(config.database.replicas, 3)
    assert.throws(() => loadConfig({ ...base, RTKIT_RETHINKDB_REPLICAS: '0' }), {
      message: 'RTKIT_RETHINKDB_REPLICAS must be an integer from 1 to 64, got "0"',
    })
  })
})
