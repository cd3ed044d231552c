import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FUNCTIONS_MANIFEST } from '../scripts/build-lambdas.ts'
import { handlerModules } from '../server/routes.ts'

/**
 * The handler bundles `npm run build:lambdas` should have written to `dir`
 * and did not: `<handler>.mjs` for every module of the route table. The app
 * refuses to synthesise without them, because the template would point
 * functions at code that is not there.
 */
export function missingBundles(dir: string): string[] {
  return Object.keys(handlerModules)
    .map((name) => `${name}.mjs`)
    .filter((file) => !existsSync(join(dir, file)))
}

/**
 * The operator's functions the bundles in `dir` were built with (the
 * manifest `npm run build:lambdas` writes beside them); none without one.
 */
export function declaredFunctions(dir: string): string[] {
  const file = join(dir, FUNCTIONS_MANIFEST)
  if (!existsSync(file)) return []
  const { functions } = JSON.parse(readFileSync(file, 'utf8')) as { functions?: unknown }
  return Array.isArray(functions) ? functions.map(String) : []
}
