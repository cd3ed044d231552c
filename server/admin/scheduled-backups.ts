import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { servedCollections } from '../collections/registry.ts'
import type { BackupConfig } from '../config/shapes.ts'
import { config } from '../config.ts'
import { connection } from '../db/connection.ts'
import { log as rootLog, type Logger } from '../lib/log.ts'
import { makeDir } from '../lib/make-dir.ts'
import type { ServerNode } from '../stack.ts'
import { writeExport } from './export-writer.ts'

/** Backup files are `rtkit-backup-<UTC time>.ndjson`: their names sort by age. */
const BACKUP_FILE = /^rtkit-backup-\d{8}T\d{9}Z\.ndjson$/

/** `rtkit-backup-20261204T214455123Z.ndjson` for `date`. */
export function backupFileName(date: Date): string {
  return `rtkit-backup-${date.toISOString().replace(/[-:.]/g, '')}.ndjson`
}

/** The backup files in `dir`, oldest first. */
export function backupFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => BACKUP_FILE.test(name))
    .sort()
}

/** Running scheduled backups. */
export interface ScheduledBackups {
  /** Resolves once the backup under way, if any, has finished; no more are taken. */
  stop(): Promise<void>
}

/**
 * Writes an export of the served collections, the users and the
 * revocations (password hashes included: a backup must restore sign-in;
 * files are owner-only) into `backup.dir` every `backup.everyMs`, the first
 * one interval after start, and keeps the newest `backup.keep`. Each is
 * written beside its name and renamed into place (`writeExport`), so a
 * backup file is always whole. A failed backup is logged and the next one
 * is tried on schedule; the timer never overlaps two.
 */
export function startScheduledBackups(backup: BackupConfig, logger: Logger = rootLog.child({ part: 'backup' })): ScheduledBackups {
  makeDir(backup.dir, 0o700)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false
  const take = async () => {
    const path = join(backup.dir, backupFileName(new Date()))
    try {
      const header = await writeExport(await connection(), config().database.db, servedCollections(), path, { includeSecrets: true })
      const files = backupFiles(backup.dir)
      for (const old of files.slice(0, Math.max(0, files.length - backup.keep))) rmSync(join(backup.dir, old), { force: true })
      logger.info({ file: path, counts: header.counts }, 'backup written')
    } catch (error) {
      logger.error({ err: error, file: path }, 'backup failed; the next one is tried on schedule')
    }
  }
  const schedule = () => {
    timer = setTimeout(() => {
      running = take().finally(() => {
        running = undefined
        if (!stopped) schedule()
      })
    }, backup.everyMs)
    timer.unref()
  }
  schedule()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

/** The scheduled backups of a started node: where it reaches the database and `RTKIT_BACKUP_DIR` is set. */
export function backupsFor(node: Pick<ServerNode, 'config' | 'databaseUrl'>): ScheduledBackups | undefined {
  const { backup } = node.config
  if (!backup) return undefined
  if (!node.databaseUrl) {
    rootLog.warn({ part: 'backup' }, 'RTKIT_BACKUP_DIR is ignored here: this process does not reach the database (RTKIT_ROLE)')
    return undefined
  }
  return startScheduledBackups(backup)
}
