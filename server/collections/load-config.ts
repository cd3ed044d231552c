import { existsSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerFunction } from '../functions/compile-functions.ts'
import { compileFunctions } from '../functions/compile-functions.ts'
import type { Collection } from './collection.ts'
import { compileConfig, OperatorConfigError } from './compile.ts'
import { defaultCollections } from './registry.ts'

/** The file names looked for in the working folder, in this order. */
export const CONFIG_FILES = ['rtkit.config.mjs', 'rtkit.config.js', 'rtkit.config.ts'] as const

export interface LoadedConfig {
  /** The config module as named in messages (relative to the working folder), or `undefined` for the built-in default. */
  file: string | undefined
  collections: readonly Collection[]
  /** The operator's own functions (none without a config). */
  functions: readonly ServerFunction[]
}

function shown(path: string, cwd: string): string {
  const inside = relative(cwd, path)
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path
}

/**
 * The config module's path: `explicit` (from `--config` or `RTKIT_CONFIG`),
 * else the first of {@link CONFIG_FILES} in `cwd`; `undefined` for none.
 *
 * @throws {OperatorConfigError} when `explicit` names no file.
 */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (!explicit) return CONFIG_FILES.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate))
  const path = resolve(cwd, explicit)
  if (!existsSync(path)) throw new OperatorConfigError(`${explicit}: no such config file`)
  return path
}

/**
 * Finds, imports and checks the operator's config module: `explicit` (from
 * `--config` or `RTKIT_CONFIG`), else the first of {@link CONFIG_FILES} in
 * `cwd`; with none, the built-in collections.
 *
 * @throws {OperatorConfigError} one line naming the file and the problem.
 */
export async function loadOperatorConfig(explicit: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  const path = findConfigFile(explicit, cwd)
  if (!path) return { file: undefined, collections: defaultCollections(), functions: [] }
  const file = shown(path, cwd)
  let module: { default?: unknown }
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && path.endsWith('.ts')) {
      throw new OperatorConfigError(
        `${file}: this Node.js cannot load TypeScript; use Node.js 22.18 or later, run through tsx, or name it rtkit.config.mjs`,
      )
    }
    throw new OperatorConfigError(`${file}: could not be loaded: ${String((error as Error).message ?? error).split('\n')[0]}`)
  }
  return { file, collections: compileConfig(module.default, file), functions: compileFunctions(module.default, file) }
}
