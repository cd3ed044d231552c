import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { register } from 'node:module'
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
 * Where a module that does not parse goes wrong, as `node --check` says it
 * (`SyntaxError: Unexpected end of input (at rtkit.config.mjs:4)`): an import's
 * error has no place in its message, and under tsx it names line 1, column 1.
 * `undefined` for any other failure, and for TypeScript, which `--check` cannot read.
 */
function syntaxError(path: string, error: unknown, cwd: string): string | undefined {
  const message = String((error as Error)?.message ?? '')
  if (!(error instanceof SyntaxError) && !message.startsWith('Parse error') && !message.includes('SyntaxError')) return undefined
  if (path.endsWith('.ts')) return undefined
  const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 })
  if (check.status === 0 || typeof check.stderr !== 'string') return undefined
  const lines = check.stderr.split('\n')
  const where = /^(.*):(\d+)$/.exec(lines[0]?.trim() ?? '')
  const what = lines.find((line) => line.startsWith('SyntaxError: '))
  return where && what ? `${what} (at ${shown(where[1]!, cwd)}:${where[2]})` : undefined
}

/** The config entry beside this module when the server runs from its sources (a clone); `undefined` in the bundled server. */
const sourceEntry = import.meta.url.endsWith('.ts') ? new URL('./config-entry.ts', import.meta.url).href : undefined
let entryResolved = false

/**
 * Lets a config module in a clone import `rtkit-server/config` as an
 * operator's does: where no installed `rtkit-server` answers that name, it is
 * this clone's `config-entry.ts` (resolved through the hooks after this one,
 * so tsx loads it). An installed package still wins. The
 * bundled server needs none of this: it is the installed package.
 */
function resolveEntryFromSources(): void {
  if (!sourceEntry || entryResolved) return
  entryResolved = true
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier !== 'rtkit-server/config') return next(specifier, context)
    try {
      return await next(specifier, context)
    } catch {
      return next(${JSON.stringify(sourceEntry)}, context)
    }
  }`
  register(`data:text/javascript,${encodeURIComponent(hook)}`)
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
  resolveEntryFromSources()
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && path.endsWith('.ts')) {
      throw new OperatorConfigError(
        `${file}: this Node.js cannot load TypeScript; use Node.js 22.18 or later, run through tsx, or name it rtkit.config.mjs`,
      )
    }
    const why = syntaxError(path, error, cwd) ?? String((error as Error).message ?? error).split('\n')[0]
    throw new OperatorConfigError(`${file}: could not be loaded: ${why}`)
  }
  return { file, collections: compileConfig(module.default, file), functions: compileFunctions(module.default, file) }
}
