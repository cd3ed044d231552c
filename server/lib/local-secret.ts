import { join } from 'node:path'
import { makeDir } from './make-dir.ts'
import { nodeFs } from './node-fs.ts'

const inMemory = new Map<string, string>()

/**
 * `bytes` random bytes as base64url, from the global Web Crypto (the same
 * generator as node:crypto's), which a Lambda's init does not load.
 */
function randomText(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url')
}

/**
 * A random secret kept in `<dataDir>/<name>`, owner-only, created by the
 * first process that asks, so that every process on that folder (a local
 * cluster) agrees and it survives a restart. With `memory` it lives as long
 * as this process. The development defaults use it: never a constant in the
 * source.
 *
 * @example
 * localSecret('.rtkit/data', 'jwt-secret', 32)
 */
export function localSecret(dataDir: string | 'memory', name: string, bytes: number): string {
  if (dataDir === 'memory') {
    let secret = inMemory.get(name)
    if (!secret) inMemory.set(name, (secret = randomText(bytes)))
    return secret
  }
  const path = join(dataDir, name)
  makeDir(dataDir)
  try {
    // `wx`: of two processes starting together, one creates it and both read it.
    nodeFs().writeFileSync(path, randomText(bytes), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return nodeFs().readFileSync(path, 'utf8').trim()
}
