import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Manifest } from './reference-page.ts'

const require = createRequire(import.meta.url)
const run = promisify(execFile)

/** The newest modification time of the components' sources, which the manifest is made from. */
function newestSource(folder: string): number {
  let newest = 0
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

let regenerating: Promise<void> | undefined

/**
 * `dist/custom-elements.json`, made again with the build's own step (`cem
 * analyze` with `custom-elements-manifest.config.mjs`) when it is missing
 * or older than a component source, so the reference page of `npm start`
 * never shows a stale API and needs no `npm run build` first.
 */
export async function currentManifest(projectRoot: string): Promise<Manifest> {
  const file = join(projectRoot, 'dist', 'custom-elements.json')
  const stale = !existsSync(file) || statSync(file).mtimeMs < newestSource(join(projectRoot, 'components'))
  if (stale) {
    regenerating ??= run(
      process.execPath,
      [require.resolve('@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--config', 'custom-elements-manifest.config.mjs'],
      { cwd: projectRoot, timeout: 120_000 },
    ).then(
      () => void (regenerating = undefined),
      (error: unknown) => {
        regenerating = undefined
        throw error
      },
    )
    await regenerating
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest
}
