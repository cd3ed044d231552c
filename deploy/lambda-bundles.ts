import { existsSync } from 'node:fs'
import { join } from 'node:path'
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
