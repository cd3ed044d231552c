import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { eventually } from '../../testing/write-load.ts'
import { FolderInUseError, lock } from './folder-lock.ts'

// The data folder's LOCK against real processes: a live owner keeps it, a
// killed owner that nobody has reaped yet (a zombie) does not.

const linux = existsSync('/proc/self/stat')
const dirs: string[] = []
const sleepers: number[] = []
after(() => {
  for (const pid of sleepers) process.kill(pid, 'SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A folder whose LOCK names `pid`. */
function lockedBy(pid: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-lock-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'LOCK'), String(pid))
  return dir
}

/**
 * A process that has exited and stays unreaped: `sh` starts a short `sleep`
 * in the background, then becomes a long one, which never waits for it.
 * Resolves with both pids once the short one is a zombie.
 */
async function zombie(): Promise<{ zombie: number; parent: number }> {
  const shell = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
  sleepers.push(shell.pid!)
  const pid = Number(await new Promise<string>((resolve) => shell.stdout.once('data', (chunk) => resolve(String(chunk)))))
  await eventually(`process ${pid} to become a zombie`, () => /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), 5_000)
  return { zombie: pid, parent: shell.pid! }
}

describe('the data folder lock', { skip: !linux && 'zombies are read from /proc (Linux)' }, () => {
  it('takes over a lock whose owner was killed and not yet reaped', async () => {
    const { zombie: pid } = await zombie()
    const dir = lockedBy(pid)
    assert.equal(lock(dir), join(dir, 'LOCK'))
    assert.equal(readFileSync(join(dir, 'LOCK'), 'utf8'), String(process.pid))
  })

  it('refuses a lock whose owner is alive', async () => {
    const { parent } = await zombie()
    const dir = lockedBy(parent)
    assert.throws(
      () => lock(dir),
      (error) => error instanceof FolderInUseError && error.pid === parent,
    )
    assert.equal(readFileSync(join(dir, 'LOCK'), 'utf8'), String(parent), 'the lock is left as it was')
  })
})
