import type * as fs from 'node:fs'
import { createRequire } from 'node:module'

const load = createRequire(import.meta.url)

/**
 * node:fs, taken when a file is first read or written instead of imported:
 * importing it as an ES module builds its ES module view, which loads its
 * streams, watchers and promises API (about 35 internal modules), and a
 * Lambda handler's init would pay for that for files it never touches (a
 * key given as a path, the development secret). `require` of a built-in
 * returns the module Node already loaded at start.
 *
 * @example
 * const pem = nodeFs().readFileSync(path, 'utf8')
 */
export function nodeFs(): typeof fs {
  return load('node:fs') as typeof fs
}
