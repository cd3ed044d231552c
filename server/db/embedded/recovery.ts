import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Logger } from '../../lib/log.ts'
import { makeDir } from '../../lib/make-dir.ts'
import { decodeLine, type JournalRecord } from './journal-lines.ts'

/**
 * Reading a data folder back, and what happens when part of it cannot be
 * read. Recovery never deletes what it could not read: a damaged snapshot or
 * a journal with damaged lines before its end stops start-up, naming the file,
 * the place and the way on, with nothing changed. The way on is
 * `RTKIT_RECOVER=skip-damaged`: the damaged file is first kept aside in
 * `<folder>/quarantine/`, then every intact record is restored and each
 * skipped line is listed (in the log and in a report beside the copy). Only
 * a torn *last* line, which a crash in the middle of a write leaves and whose
 * write was never acknowledged, is dropped without asking.
 */

/** What to do with damaged files: stop (the default), or keep them aside and restore what is intact. */
export type RecoverPolicy = 'stop' | 'skip-damaged'

/** The data folder holds something that cannot be read; start-up stops and changes nothing. */
export class DamagedDataError extends Error {
  override name = 'DamagedDataError'
  /** The message is meant for the operator as it is: no stack trace needed. */
  readonly expose = true
}

export interface StoredTable {
  primaryKey: string
  indexes: Record<string, { fn: unknown; multi: boolean; geo: boolean }>
  rows: unknown[]
}

export interface Snapshot {
  format: 1
  databases: Record<string, Record<string, StoredTable>>
}

/** A journal line that was skipped: its number (from 1) and its first characters. */
export interface SkippedLine {
  line: number
  text: string
}

/** What a data folder holds, as far as it can be read. */
export interface Recovered {
  snapshot: Snapshot | undefined
  records: JournalRecord[]
  skipped: SkippedLine[]
}

export const SNAPSHOT_FILE = 'snapshot.json'
export const JOURNAL_FILE = 'journal.jsonl'
const HOW_TO_PROCEED = 'RTKIT_RECOVER=skip-damaged'

/** Copies (or moves) `file` into `<dir>/quarantine/`, owner-only; returns the copy's path. */
function quarantine(dir: string, file: string, move: boolean): string {
  const folder = join(dir, 'quarantine')
  makeDir(folder, 0o700)
  const copy = join(folder, `${new Date().toISOString().replaceAll(':', '-')}-${file}`)
  if (move) renameSync(join(dir, file), copy)
  else copyFileSync(join(dir, file), copy)
  return copy
}

function readSnapshot(dir: string, policy: RecoverPolicy, log: Logger): Snapshot | undefined {
  const path = join(dir, SNAPSHOT_FILE)
  if (!existsSync(path)) return undefined
  const text = readFileSync(path, 'utf8')
  let problem: string
  try {
    const snapshot = JSON.parse(text) as Snapshot
    if (snapshot?.format === 1 && typeof snapshot.databases === 'object') return snapshot
    problem = `it is not an rtkit snapshot (format ${String(snapshot?.format)})`
  } catch (error) {
    problem = `${(error as Error).message}; the file has ${text.length} bytes`
  }
  if (policy === 'stop') {
    throw new DamagedDataError(
      `the database snapshot ${path} cannot be read (${problem}). Nothing was changed. ` +
        `Restore the data folder from a backup, or start with ${HOW_TO_PROCEED} to move the snapshot to ` +
        `${join(dir, 'quarantine')} and start from the journal alone (what only the snapshot held is then missing).`,
    )
  }
  const copy = quarantine(dir, SNAPSHOT_FILE, true)
  log.error({ file: path, quarantined: copy, problem }, 'the database snapshot is damaged: moved aside, starting from the journal alone')
  return undefined
}

function readJournal(dir: string, policy: RecoverPolicy, log: Logger): { records: JournalRecord[]; skipped: SkippedLine[] } {
  const path = join(dir, JOURNAL_FILE)
  if (!existsSync(path)) return { records: [], skipped: [] }
  const lines = readFileSync(path, 'utf8').split('\n')
  // Everything after the last newline is a write the crash cut short: never acknowledged.
  const complete = lines.slice(0, -1)
  const records: JournalRecord[] = []
  const skipped: SkippedLine[] = []
  for (const [index, line] of complete.entries()) {
    if (line === '') continue
    const record = decodeLine(line)
    if (record) records.push(record)
    else skipped.push({ line: index + 1, text: line.slice(0, 120) })
  }
  if (skipped.length === 0) return { records, skipped }
  const where = skipped.length === 1 ? `line ${skipped[0]!.line}` : `lines ${skipped.map((s) => s.line).join(', ')}`
  if (policy === 'stop') {
    throw new DamagedDataError(
      `the database journal ${path} is damaged at ${where} of ${complete.length} ` +
        `(${records.length} intact records). Nothing was changed. To start with every intact record, set ` +
        `${HOW_TO_PROCEED}: the journal is first copied to ${join(dir, 'quarantine')} with a list of the skipped lines.`,
    )
  }
  const copy = quarantine(dir, JOURNAL_FILE, false)
  writeFileSync(`${copy}.skipped.txt`, skipped.map((s) => `line ${s.line}: ${s.text}`).join('\n') + '\n', { mode: 0o600 })
  log.error(
    { file: path, quarantined: relative(dir, copy), skipped: skipped.map((s) => s.line), restored: records.length },
    'the database journal is damaged: a copy is kept aside, every intact record was restored, the listed lines were skipped',
  )
  return { records, skipped }
}

/** Reads the snapshot and the journal of `dir` under `policy`; see the module comment. */
export function readDataFolder(dir: string, policy: RecoverPolicy, log: Logger): Recovered {
  // The journal first: under `stop`, a damaged journal must stop start-up before anything is moved.
  const journal = readJournal(dir, policy, log)
  const snapshot = readSnapshot(dir, policy, log)
  return { snapshot, ...journal }
}
