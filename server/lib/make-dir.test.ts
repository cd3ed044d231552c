import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { makeDir } from './make-dir.ts'

const dir = mkdtempSync(join(tmpdir(), 'rtkit-make-dir-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('makeDir', () => {
  it('makes a folder and the missing ones above it, with the mode; again, it changes nothing', () => {
    const inner = join(dir, 'a', 'b', 'c')
    makeDir(inner, 0o700)
    assert.ok(statSync(inner).isDirectory())
    assert.equal(statSync(inner).mode & 0o777, 0o700)
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o700)
    makeDir(inner, 0o700)
    assert.ok(statSync(inner).isDirectory())
  })

  it('refuses a file in the way, and names it', () => {
    writeFileSync(join(dir, 'file'), '')
    assert.throws(() => makeDir(join(dir, 'file', 'inner')), {
      code: 'ENOTDIR',
      message: `cannot make the folder ${join(dir, 'file', 'inner')} (at ${join(dir, 'file')}): it is a file, not a folder`,
    })
  })

  it('fails, and returns, where a folder exists but cannot hold another (under /proc)', () => {
    // In a child process, so that a walk that never ends fails the test: Node's own
    // `mkdirSync(path, { recursive: true })` spins here forever with the event loop blocked.
    const module = new URL('./make-dir.ts', import.meta.url).href
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `(await import(${JSON.stringify(module)})).makeDir('/proc/rtkit-make-dir/inner')`],
      { encoding: 'utf8', timeout: 20_000 },
    )
    assert.equal(result.signal, null, 'makeDir did not return within 20 s')
    assert.equal(result.status, 1)
    assert.match(result.stderr, /cannot make the folder \/proc\/rtkit-make-dir\/inner \(at \/proc\/rtkit-make-dir\): ENOENT/)
  })
})
