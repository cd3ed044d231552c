import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTable } from './migrate.ts'
import { databaseHosts, parseDatabaseUrl } from './database-url.ts'

describe('parseDatabaseUrl', () => {
  it('reads one host, with the driver port by default', () => {
    const { url, hosts } = parseDatabaseUrl('rethinkdb://admin:s%40cret@db.internal/rtkit')
    assert.deepEqual(hosts, [{ host: 'db.internal', port: 28015 }])
    assert.equal(url.password, 's%40cret')
    assert.equal(url.pathname, '/rtkit')
  })

  it('reads several hosts, keeping credentials and database on the first-host URL', () => {
    const { url, hosts } = parseDatabaseUrl('rethinkdb://user:pw@h1:28015,h2:28016,[::1]:28017/rtkit')
    assert.deepEqual(hosts, [
      { host: 'h1', port: 28015 },
      { host: 'h2', port: 28016 },
      { host: '::1', port: 28017 },
    ])
    assert.equal(url.host, 'h1:28015')
    assert.equal(url.username, 'user')
    assert.equal(url.pathname, '/rtkit')
  })

  it('refuses what is not such a URL', () => {
    for (const raw of ['not a url', 'http://h1/rtkit', 'rethinkdb://h1:notaport/rtkit', 'rethinkdb://h1,,h2/rtkit', 'rethinkdb:///rtkit']) {
      assert.throws(() => parseDatabaseUrl(raw), TypeError, raw)
    }
  })
})

describe('databaseHosts', () => {
  it('falls back to the single URL when no host list is configured (the embedded database)', () => {
    assert.deepEqual(databaseHosts({ url: new URL('rethinkdb://127.0.0.1:41234'), hosts: [] }), [{ host: '127.0.0.1', port: 41234 }])
    assert.deepEqual(databaseHosts({ url: undefined, hosts: [] }), [])
  })
})

describe('createTable', () => {
  it('asks for the configured shards and replicas', () => {
    assert.equal(
      createTable('rtkit', 'tasks', { shards: 2, replicas: 3 }).toString(),
      'r.db("rtkit").tableCreate("tasks", {"shards": 2, "replicas": 3})',
    )
  })
})
