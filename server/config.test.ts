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
