import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * One engine per data folder: a `LOCK` file holding the owner's pid. Two
 * engines writing one journal would corrupt it; a lock left by a process
 * that is gone (a crash) is taken over.
 */

/** Another live process holds the folder: `pid` (a running server, whose database can be reached instead). */
export class FolderInUseError extends Error {
  override name = 'FolderInUseError'
  constructor(
    readonly dir: string,
    readonly pid: number,
    options?: ErrorOptions,
  ) {
    super(`the database folder ${dir} is in use by process ${pid}`, options)
  }
}

/** Folders open in this process, so a stale lock of our own pid can be told from a live one. */
export const openHere = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !hasExited(pid)
}

/**
 * Whether `pid`, which still answers signal 0, has in fact exited: a killed
 * server stays a zombie, holding no file, until its parent (or, when the
 * whole process tree was killed, init) reaps it, and a restart that comes
 * first must not find its own folder "in use". Linux says so in
 * `/proc/<pid>/stat`: the state after the command name, which is in
 * parentheses and may itself hold spaces or parentheses. Without `/proc`,
 * signal 0 is all there is.
 */
function hasExited(pid: number): boolean {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return false
  }
  const state = stat.charAt(stat.lastIndexOf(')') + 2)
  return state === 'Z' || state === 'X' || state === 'x'
}

/** Claims `dir` for this process: two engines writing one journal would corrupt it. */
export function lock(dir: string): string {
  const path = join(dir, 'LOCK')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 })
      return path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(path, 'utf8'))
      const stale = owner === process.pid ? !openHere.has(dir) : !isAlive(owner)
      if (!stale) throw new FolderInUseError(dir, owner, { cause: error })
      rmSync(path, { force: true })
    }
  }
  throw new Error(`could not lock the database folder ${dir}`)
}
