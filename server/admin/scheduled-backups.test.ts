import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { defaultCollections } from '../collections/registry.ts'
import { ConfigError, loadConfig } from '../config.ts'
import { within } from '../testing/realtime-clients.ts'
import { startServerProcess } from '../testing/server-process.ts'
import { eventually } from '../testing/write-load.ts'
import { testEnv } from '../testing/test-env.ts'
import { readExportFile } from './export-reader.ts'
import { backupFiles } from './scheduled-backups.ts'

const dir = mkdtempSync(join(tmpdir(), 'rtkit-backups-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The backup files in `folder`, none while it cannot be read (not made yet, or its volume gone). */
function backupsIn(folder: string): string[] {
  try {
    return backupFiles(folder)
  } catch {
    return []
  }
}

describe('RTKIT_BACKUP_*', () => {
  it('reads durations in seconds or with a unit, and keeps 7 every hour by default', () => {
    const backup = (extra: NodeJS.ProcessEnv) => loadConfig(testEnv({ RTKIT_BACKUP_DIR: dir, ...extra })).backup
    assert.deepEqual(backup({}), { dir, everyMs: 3_600_000, keep: 7 })
    assert.equal(backup({ RTKIT_BACKUP_EVERY: '90' })?.everyMs, 90_000)
    assert.equal(backup({ RTKIT_BACKUP_EVERY: '15m' })?.everyMs, 900_000)
    assert.equal(backup({ RTKIT_BACKUP_EVERY: '1h' })?.everyMs, 3_600_000)
    assert.equal(backup({ RTKIT_BACKUP_KEEP: '3' })?.keep, 3)
    assert.equal(loadConfig(testEnv()).backup, undefined)
  })

  it('refuses a bad duration or count, and the others without a folder', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ RTKIT_BACKUP_DIR: dir, RTKIT_BACKUP_EVERY: 'hourly' }, /RTKIT_BACKUP_EVERY must be a duration of at least 1 s/],
      [{ RTKIT_BACKUP_DIR: dir, RTKIT_BACKUP_EVERY: '500ms' }, /RTKIT_BACKUP_EVERY must be a duration of at least 1 s/],
      [{ RTKIT_BACKUP_DIR: dir, RTKIT_BACKUP_KEEP: '0' }, /RTKIT_BACKUP_KEEP must be an integer from 1/],
      [{ RTKIT_BACKUP_EVERY: '1h' }, /RTKIT_BACKUP_EVERY needs RTKIT_BACKUP_DIR/],
      [{ RTKIT_BACKUP_KEEP: '3' }, /RTKIT_BACKUP_KEEP needs RTKIT_BACKUP_DIR/],
    ]
    for (const [env, message] of cases)
      assert.throws(
        () => loadConfig(testEnv(env)),
        (error: Error) => error instanceof ConfigError && message.test(error.message),
      )
  })
})

describe('scheduled backups', () => {
  it('writes an export into the folder on schedule, whole files only, keeping the newest N', async () => {
    const folder = join(dir, 'backups')
    const server = await startServerProcess({ RTKIT_BACKUP_DIR: folder, RTKIT_BACKUP_EVERY: '1', RTKIT_BACKUP_KEEP: '2' })
    try {
      const seen = new Set<string>()
      let first: string | undefined
      let most = 0
      // Until a backup has been pruned: the first file seen is gone.
      await eventually(
        'a third backup and the first one pruned',
        () => {
          const files = backupsIn(folder)
          most = Math.max(most, files.length)
          for (const name of files) seen.add(name)
          first ??= files[0]
          return first !== undefined && !files.includes(first) && files.length === 2
        },
        60_000,
      )
      // The newest is renamed into place just before the oldest goes: three for that moment, never more.
      assert.ok(most <= 3, `at most one over the 2 kept: ${most}`)
      assert.ok(seen.size >= 3)
      const newest = join(folder, backupFiles(folder).at(-1)!)
      assert.equal(statSync(newest).mode & 0o777, 0o600)
      const { header, tables } = await readExportFile(newest, defaultCollections())
      assert.equal(header.secrets, true)
      assert.ok(header.counts.users! >= 2)
      assert.ok(tables.get('users')!.every((user) => typeof user.passwordHash === 'string' && user.passwordHash.startsWith('scrypt$')))
    } finally {
      await server.stop()
    }
    assert.ok(backupFiles(folder).length <= 2, 'the newest 2 kept once stopped')
  })

  it('a backup folder that can no longer be made fails that backup, logged; the server goes on serving, and backs up again once it can', async () => {
    // The backup folder is inside a mounted volume (here a symlink); the volume's folder goes away under the
    // mount, leaving a folder that exists and cannot hold the backups' (here the link points at /proc).
    const volume = join(dir, 'volume')
    const mounted = join(dir, 'mounted')
    mkdirSync(volume)
    symlinkSync(volume, mounted)
    const folder = join(mounted, 'rtkit')
    const server = await startServerProcess({ RTKIT_BACKUP_DIR: folder, RTKIT_BACKUP_EVERY: '1', RTKIT_BACKUP_KEEP: '2' })
    // In one step (a new link renamed over the old), so that no backup finds the path missing and makes a real folder there.
    const remount = (target: string) => {
      symlinkSync(target, `${mounted}.next`)
      renameSync(`${mounted}.next`, mounted)
    }
    const written = () => backupsIn(folder).length > 0
    try {
      await eventually('the first backup', written)
      remount('/proc')
      // Node's own recursive mkdir would spin here for good, the event loop blocked: no log line, no answer.
      // (A backup under way at the remount fails otherwise, at its rename: the line waited for is the next one's.)
      await eventually('a backup failed at its folder, logged', () =>
        server.process
          .output()
          .split('\n')
          .some((line) => line.includes('backup failed') && /cannot make the folder .*rtkit: ENOENT/.test(line)),
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the server printed:\n${server.process.output()}`)
      })
      const health = await within(5_000, 'the server answering /health', fetch(server.apiUrl + '/health'))
      assert.equal(health.status, 200)
      rmSync(join(volume, 'rtkit'), { recursive: true })
      remount(volume)
      await eventually('a backup written once the folder can be made again', written)
    } finally {
      await server.stop()
    }
  })
})
