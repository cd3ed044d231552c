import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { after, describe, it } from 'node:test'
import { findBinary, MissingBinaryError } from './binaries.ts'

const folder = mkdtempSync(join(tmpdir(), 'rtkit-binaries-'))
after(() => rmSync(folder, { recursive: true, force: true }))

describe('findBinary', () => {
  it('finds an executable on PATH', () => {
    const program = join(folder, 'fake-haproxy')
    writeFileSync(program, '#!/bin/sh\n', { mode: 0o755 })
    writeFileSync(join(folder, 'not-executable'), '', { mode: 0o644 })
    assert.equal(findBinary('fake-haproxy', 'haproxy', ['/nonexistent', folder].join(delimiter)), program)
    assert.throws(() => findBinary('not-executable', 'x', folder), MissingBinaryError)
  })

  it('names the Debian package to install when the program is missing', () => {
    assert.throws(() => findBinary('redis-server', 'redis-server', folder), {
      name: 'MissingBinaryError',
      message:
        "redis-server was not found on PATH. Install Debian's redis-server package (apt-get install redis-server) or put redis-server on PATH.",
    })
  })
})
