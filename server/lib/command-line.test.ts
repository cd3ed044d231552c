import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runServerCommand } from '../testing/server-process.ts'
import { testEnv } from '../testing/test-env.ts'
import { EXPORT_USAGE, IMPORT_USAGE, USAGE, USERS_USAGE } from './command-line.ts'

// The bin itself, as an operator runs it; every case exits before anything starts (no database, no port).
const env = testEnv()

describe('rtkit-server command line', () => {
  it('prints the usage of the server and of each command for --help, on stdout, exit 0', async () => {
    const cases: Array<[string[], string]> = [
      [['--help'], USAGE],
      [['export', '--help'], EXPORT_USAGE],
      [['import', '--help'], IMPORT_USAGE],
      [['users', '--help'], USERS_USAGE],
      [['users', 'add', '--help'], USERS_USAGE],
    ]
    const results = await Promise.all(cases.map(([args]) => runServerCommand(args, env)))
    results.forEach((result, index) => {
      const [args, usage] = cases[index]!
      assert.deepEqual(result, { status: 0, stdout: usage, stderr: '' }, args.join(' '))
    })
  })

  it('refuses an unknown command or flag, a missing or stray argument: usage on stderr, exit 2', async () => {
    const cases: Array<[string[], string, string]> = [
      [['frobnicate'], "unknown command 'frobnicate'", USAGE],
      [['--port', '3000'], 'unknown option --port (ports, hosts and the rest are RTKIT_* variables: see --help)', USAGE],
      [['export'], 'export needs --out <file>', EXPORT_USAGE],
      [['export', '--out', 'x.ndjson', '--verbose'], 'unknown option --verbose', EXPORT_USAGE],
      [['export', '--out', 'x.ndjson', 'extra'], "unexpected argument 'extra'", EXPORT_USAGE],
      [['import'], 'import needs one file', IMPORT_USAGE],
      [['import', 'a.ndjson', 'b.ndjson'], 'import needs one file', IMPORT_USAGE],
      [['users'], 'users needs a command', USERS_USAGE],
      [['users', 'delete', 'alice'], "unknown users command 'delete'", USERS_USAGE],
      [['users', 'add'], 'users add needs one name', USERS_USAGE],
      [['users', 'list', 'alice'], 'users list takes no name', USERS_USAGE],
      [['users', 'add', 'alice', '--password', 'secret123'], 'unknown option --password', USERS_USAGE],
      [['users', 'revoke', 'alice', '--display-name', 'A'], '--display-name goes with users add', USERS_USAGE],
    ]
    const results = await Promise.all(cases.map(([args]) => runServerCommand(args, env)))
    results.forEach((result, index) => {
      const [args, message, usage] = cases[index]!
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stdout, '', args.join(' '))
      assert.ok(result.stderr.startsWith(`rtkit-server: ${message}`), `${args.join(' ')}: ${result.stderr}`)
      assert.ok(result.stderr.endsWith(usage), args.join(' '))
    })
  })

  it('prints the version', async () => {
    const result = await runServerCommand(['--version'], env)
    assert.equal(result.status, 0)
    assert.match(result.stdout, /^\d+\.\d+\.\d+/)
  })
})
