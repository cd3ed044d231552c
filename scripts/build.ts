/**
 * `npm run build`: everything `dist/` holds, from a clean folder.
 *
 * 1. `vite build` — the ES-module entries (one per tag, `index.js`,
 *    `configure.js`, `services.js`, `contracts.js`) and the single-file
 *    `rtkit.bundle.js` (ES module) and `rtkit.iife.js` (classic script);
 * 2. `tsc -p tsconfig.build.json` — type declarations in `dist/types`;
 * 3. `cem analyze` — `dist/custom-elements.json` from the components' JSDoc,
 *    and from it `rtkit/jsx` (`dist/types/components/jsx.d.ts`, React's JSX types);
 * 4. one esbuild bundle per Lambda handler in `dist/lambdas`;
 * 5. the server in one file, `dist/server/server.mjs` (the server package's `rtkit-server`).
 *
 * `npm run pack` then turns `dist/` into the two npm packages.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { relative } from 'node:path'
import { buildLambdas } from './build-lambdas.ts'
import { buildServer } from './build-server.ts'
import { writeJsxTypes } from './jsx-types.ts'

const root = new URL('..', import.meta.url).pathname

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`)
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })
run('npx', ['vite', 'build'])
run('npx', ['tsc', '-p', 'tsconfig.build.json'])
run('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs'])
console.log(`wrote rtkit/jsx for ${writeJsxTypes(root).length} tags`)
const lambdas = await buildLambdas(root)
console.log(`built ${lambdas.length} Lambda bundles in dist/lambdas`)
const server = await buildServer(root)
console.log(`built ${relative(root, server.file)} (${Math.round(server.bytes / 1024)} KB)`)
