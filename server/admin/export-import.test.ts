import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded.ts'
import { DEMO_PASSWORD } from '../db/seed.ts'
import { httpCall } from '../testing/http-call.ts'
import { runServerCommand, startServerProcess, type CommandResult } from '../testing/server-process.ts'
import { testEnv } from '../testing/test-env.ts'

/**
 * `rtkit-server export` and `import`, run as the bin's child processes
 * against a running server's data folder, the same folder with no server,
 * and a database URL (an embedded database on a port standing in for a real
 * RethinkDB: it speaks the wire protocol to the same driver code).
 */

const root = mkdtempSync(join(tmpdir(), 'rtkit-export-'))
const file = (name: string) => join(root, name)
const folder = (name: string) => testEnv({ RTKIT_DATA_DIR: join(root, name), RTKIT_SEED: 'false' })
const read = (name: string) => readFileSync(file(name), 'utf8')

function succeeded(result: CommandResult, what: string): CommandResult {
  assert.equal(result.status, 0, `${what}: ${result.stdout}${result.stderr}`)
  return result
}

async function exportTo(env: NodeJS.ProcessEnv, name: string, ...flags: string[]): Promise<string> {
  succeeded(await runServerCommand(['export', '--out', file(name), ...flags], env), `export ${name}`)
  return read(name)
}

let served: string
let taskId: string

before(async () => {
  // A served data folder with demo data, a deleted task (a tombstone) and a signed-out token (a revocation).
  const server = await startServerProcess({ RTKIT_DATA_DIR: join(root, 'served'), RTKIT_SEED: 'true' })
  try {
    const login = await httpCall(server.apiUrl, 'POST', '/auth/login', { body: { username: 'alice', password: DEMO_PASSWORD } })
    assert.equal(login.status, 200)
    const token = login.body.token as string
    const before = await exportTo(folder('served'), 'before.ndjson')
    taskId = (JSON.parse(before.split('\n').find((line) => line.includes('"table":"tasks"'))!) as { row: { id: string } }).row.id
    assert.equal((await httpCall(server.apiUrl, 'DELETE', `/collections/tasks/${taskId}`, { token })).status, 200)
    assert.equal((await httpCall(server.apiUrl, 'POST', '/auth/logout', { token })).status, 200)
    // Against the running server: it keeps serving.
    served = await exportTo(folder('served'), 'served.ndjson')
    assert.equal((await httpCall(server.apiUrl, 'GET', '/health')).status, 200)
  } finally {
    await server.stop()
  }
})

after(() => rmSync(root, { recursive: true, force: true }))

describe('rtkit-server export', () => {
  it('writes a header, then every row sorted by table and id, tombstones and revocations included, without password hashes', () => {
    const [header, ...rows] = served
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    assert.deepEqual(header, {
      collections: ['messages', 'tasks'],
      counts: header.counts,
      format: 'rtkit-export',
      secrets: false,
      tables: ['messages', 'revocations', 'tasks', 'users'],
      version: 1,
    })
    for (const table of header.tables) assert.equal(rows.filter((line) => line.table === table).length, header.counts[table], table)
    const keys = rows.map((line) => [line.table, line.row.id].join('\u0000'))
    assert.deepEqual(keys, [...keys].sort())
    assert.deepEqual(rows.find((line) => line.row.id === taskId).row, {
      ...rows.find((line) => line.row.id === taskId).row,
      tombstone: true,
      version: 2,
    })
    assert.equal(header.counts.revocations, 1)
    assert.ok(header.counts.users >= 2)
    assert.ok(rows.filter((line) => line.table === 'users').every((line) => !('passwordHash' in line.row)))
    assert.equal(statSync(file('served.ndjson')).mode & 0o777, 0o600)
  })

  it('gives the same bytes from the folder with the server stopped as from the running server', async () => {
    assert.equal(await exportTo(folder('served'), 'stopped.ndjson'), served)
  })

  it('keeps the password hashes with --include-secrets', async () => {
    const text = await exportTo(folder('served'), 'secrets.ndjson', '--include-secrets')
    const [header, ...rows] = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    assert.equal(header.secrets, true)
    assert.ok(rows.filter((line) => line.table === 'users').every((line) => /^scrypt\$/.test(line.row.passwordHash)))
  })

  it('refuses a data folder that holds no database, creating nothing', async () => {
    const result = await runServerCommand(['export', '--out', file('none.ndjson')], folder('absent'))
    assert.equal(result.status, 1)
    assert.match(result.stderr, /no database in .*absent/)
  })

  it('refuses an --out folder that cannot be made, with a clear line, and returns (under /proc)', async () => {
    // Node's own recursive mkdir never returns there; runServerCommand kills a command that hangs (status null).
    const result = await runServerCommand(['export', '--out', '/proc/rtkit-export/backup.ndjson'], folder('served'))
    assert.equal(result.status, 1, result.stdout + result.stderr)
    assert.match(result.stderr, /^rtkit: cannot make the folder \/proc\/rtkit-export: ENOENT/m)
  })

  it('refuses an --out under a file with one line', async () => {
    writeFileSync(file('a-file'), '')
    const result = await runServerCommand(['export', '--out', join(file('a-file'), 'x.ndjson')], folder('served'))
    assert.equal(result.status, 1, result.stdout + result.stderr)
    assert.equal(result.stderr.trim(), `rtkit: cannot make the folder ${file('a-file')}: it is a file, not a folder`)
  })

  it('refuses an --out that is a folder with one line, leaving no file behind', async () => {
    const out = file('a-folder')
    mkdirSync(out)
    const result = await runServerCommand(['export', '--out', out], folder('served'))
    assert.equal(result.status, 1, result.stdout + result.stderr)
    assert.equal(result.stderr.trim(), `rtkit: cannot write the export to ${out}: it is a folder: name a file in it`)
    assert.deepEqual(readdirSync(out), [])
    assert.deepEqual(
      readdirSync(root).filter((name) => name.endsWith('.tmp')),
      [],
    )
  })
})

describe('rtkit-server import', () => {
  it('restores into an empty data folder; another export is byte for byte the same, with and without secrets', async () => {
    succeeded(await runServerCommand(['import', file('served.ndjson')], folder('restored')), 'import')
    assert.equal(await exportTo(folder('restored'), 'restored.ndjson'), served)
    succeeded(await runServerCommand(['import', file('secrets.ndjson')], folder('restored-secrets')), 'import with secrets')
    assert.equal(await exportTo(folder('restored-secrets'), 'restored-secrets.ndjson', '--include-secrets'), read('secrets.ndjson'))
  })

  it('refuses a database that is not empty and writes nothing; --force replaces what it holds', async () => {
    const refused = await runServerCommand(['import', file('before.ndjson')], folder('restored'))
    assert.equal(refused.status, 1)
    assert.match(refused.stderr, /the database is not empty \(.*\): import into an empty one, or add --force.*nothing was imported/)
    assert.equal(await exportTo(folder('restored'), 'unchanged.ndjson'), served)
    succeeded(await runServerCommand(['import', file('before.ndjson'), '--force'], folder('restored')), 'import --force')
    assert.equal(await exportTo(folder('restored'), 'forced.ndjson'), read('before.ndjson'))
  })

  describe('against a database URL (an embedded database on a port, as a real RethinkDB)', () => {
    let database: EmbeddedDatabase
    let env: NodeJS.ProcessEnv
    before(async () => {
      database = await startEmbeddedDatabase({ dataDir: 'memory' })
      env = testEnv({ RTKIT_RETHINKDB_URL: database.url })
      succeeded(await runServerCommand(['import', file('served.ndjson')], env), 'import by URL')
    })
    after(() => database.close())

    it('round-trips through the same driver code', async () => {
      assert.equal(await exportTo(env, 'by-url.ndjson'), served)
    })

    it('stops at the first bad line, naming it, and writes nothing (even with --force)', async () => {
      const lines = served.trimEnd().split('\n')
      const header = JSON.parse(lines[0]!)
      const bad: Array<[string, string, RegExp]> = [
        ['truncated', `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 25)}`, /line 4: not a JSON line \(is the file cut short\?\)/],
        [
          'cut at a line end',
          `${lines.slice(0, -1).join('\n')}\n`,
          new RegExp(`line ${lines.length - 1}: the file ends with .* rows; its header says`),
        ],
        ['foreign', `${JSON.stringify({ format: 'pg_dump', version: 1 })}\n${lines.slice(1).join('\n')}\n`, /line 1: not an rtkit export/],
        [
          'newer',
          `${JSON.stringify({ ...header, version: 2 })}\n${lines.slice(1).join('\n')}\n`,
          /line 1: export version 2; this rtkit reads version 1/,
        ],
        [
          'unknown collection',
          `${JSON.stringify({ ...header, collections: [...header.collections, 'notes'] })}\n${lines.slice(1).join('\n')}\n`,
          /line 1: collection "notes" is not declared in the config/,
        ],
        [
          'unknown table',
          `${lines.join('\n')}\n{"row":{"id":"x"},"table":"notes"}\n`,
          new RegExp(`line ${lines.length + 1}: table "notes" is not in the header`),
        ],
        [
          'bad document',
          lines.map((line, index) => (index === 1 ? line.replace(/"version":\d+/, '"version":0') : line)).join('\n') + '\n',
          /line 2: messages "[^"]+": "version" must be a positive integer/,
        ],
        [
          'document against its declaration',
          lines
            .map((line) =>
              line.includes('"table":"tasks"') && !line.includes('tombstone') ? line.replace(/"title":"[^"]*"/, '"title":""') : line,
            )
            .join('\n') + '\n',
          /line \d+: tasks "[^"]+": title: must not be empty/,
        ],
      ]
      for (const [name, text] of bad) writeFileSync(file(`${name}.ndjson`), text)
      const results = await Promise.all(bad.map(([name]) => runServerCommand(['import', file(`${name}.ndjson`), '--force'], env)))
      results.forEach((result, index) => {
        const [name, , message] = bad[index]!
        assert.equal(result.status, 1, `${name}: ${result.stdout}${result.stderr}`)
        assert.match(result.stderr, message, name)
        assert.match(result.stderr, /nothing was imported/, name)
      })
      assert.equal(await exportTo(env, 'after-bad.ndjson'), served)
    })
  })
})
