import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Thrown when a program the local cluster runs is not installed; the message says which Debian package has it. */
export class MissingBinaryError extends Error {
  override name = 'MissingBinaryError'
}

/**
 * The path of `name` on `PATH`, like `command -v`.
 *
 * @throws {MissingBinaryError} naming the Debian package to install.
 * @example
 * findBinary('haproxy', 'haproxy') // '/usr/sbin/haproxy' where Debian puts it
 */
export function findBinary(name: string, debianPackage: string, path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  throw new MissingBinaryError(
    `${name} was not found on PATH. Install Debian's ${debianPackage} package (apt-get install ${debianPackage}) or put ${name} on PATH.`,
  )
}
