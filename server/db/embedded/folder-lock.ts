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
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
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
