import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The folders a deployment of one config ships (see scripts/build-for-config.ts). */
export interface OperatorBuild {
  lambdaBundleDir: string
  imageContext: string
}

/**
 * Builds the Lambda bundles and the server image's context for the operator
 * config module `configFile`, under `<root>/dist/deploy/<hash of its path>/`.
 * A construct is built synchronously and esbuild's plugins are not, so the
 * build runs as a child process, as `cdk.json`'s `build` step does.
 *
 * @throws {Error} naming the config when the build fails (a bad config
 *   fails it with the same one-line message a server's start gives).
 */
export function buildOperatorConfig(root: string, configFile: string): OperatorBuild {
  const config = resolve(configFile)
  if (!existsSync(config)) throw new Error(`rtkit: the config module ${config} does not exist`)
  const stage = join(root, 'dist', 'deploy', createHash('sha256').update(config).digest('hex').slice(0, 12))
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-for-config.ts'), config, stage], {
    cwd: root,
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`rtkit: building for ${config} failed: ${(run.stderr || run.stdout).trim()}`)
  return { lambdaBundleDir: join(stage, 'lambdas'), imageContext: join(stage, 'image') }
}
