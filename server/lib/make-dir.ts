import { dirname, resolve } from 'node:path'
import { nodeFs } from './node-fs.ts'

/**
 * `mkdir -p`: makes `dir` and each missing folder above it, with `mode`;
 * nothing when `dir` is a folder already.
 *
 * Written here because Node's own `mkdirSync(dir, { recursive: true })`
 * (20 and 22 alike) never returns when a folder above exists but cannot hold
 * the next one: a volume's folder deleted from under its mount, a deleted
 * working folder, a path under `/proc` (a dangling symlink it does refuse,
 * with ENOENT). Its walk steps back to the parent on
 * ENOENT and forward again on EEXIST, forever, at 100 % CPU with the event
 * loop blocked, so a scheduled backup into an unmounted volume would stop the
 * whole server. Here each missing folder is made once, from the top down, and
 * the first one that cannot be made is an error that names it. node:fs is
 * taken when called (`node-fs.ts`): the development secret's folder is made
 * on a Lambda handler's path.
 *
 * @example
 * makeDir('/var/backups/rtkit', 0o700)
 */
export function makeDir(dir: string, mode = 0o777): void {
  const fs = nodeFs()
  const missing: string[] = []
  for (let at = resolve(dir); ;) {
    const stats = statOf(fs, at)
    if (stats?.isDirectory()) break
    if (stats) throw folderError(dir, at, 'ENOTDIR', 'it is a file, not a folder')
    missing.push(at)
    const parent = dirname(at)
    if (parent === at) break
    at = parent
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder, { mode })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
      // Made meanwhile by another process: fine. A dangling symlink also answers EEXIST, and is not a folder.
      if (code === 'EEXIST' && statOf(fs, folder)?.isDirectory()) continue
      throw folderError(dir, folder, code, code === 'EEXIST' ? 'a link to nothing is in the way' : (error as Error).message)
    }
  }
}

/** What `at` is, or `undefined` when nothing is there (a file above it included: that is found next). */
function statOf(fs: ReturnType<typeof nodeFs>, at: string) {
  try {
    return fs.statSync(at)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

/** Written for the operator: `expose` prints it without a stack (`runMain`). */
function folderError(dir: string, at: string, code: string, why: string): NodeJS.ErrnoException {
  const where = at === resolve(dir) ? '' : ` (at ${at})`
  return Object.assign(new Error(`cannot make the folder ${dir}${where}: ${why}`), { code, path: at, expose: true })
}
