import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compileConfig } from '../server/collections/compile.ts'
import { compileFunctions } from '../server/functions/compile-functions.ts'
import { buildLambdas } from './build-lambdas.ts'
import { buildServer, IMAGE_CONFIG_FILE } from './build-server.ts'

/** What {@link buildForConfig} writes: the parts of a deployment that carry the config. */
export interface ConfigBuild {
  /** The Lambda bundles, the config inside each, and `functions.json`. */
  lambdaBundleDir: string
  /** The server image's build context: `dist/server/` (the server and the bundled config) and `deploy/container/`. */
  imageContext: string
}

/**
 * Builds what a deployment of one operator config ships, into `stage`: the
 * Lambda bundles with the config inside, and the server image's build
 * context with the config beside the server. The `config` option of
 * `RtkitStack` (deploy/rtkit-stack.ts) runs it at synth, so an operator's own
 * CDK app deploys its config without touching this repository's `dist/`.
 */
export async function buildForConfig(root: string, configFile: string, stage: string): Promise<ConfigBuild> {
  rmSync(stage, { recursive: true, force: true })
  const lambdaBundleDir = join(stage, 'lambdas')
  const imageContext = join(stage, 'image')
  await buildLambdas(root, lambdaBundleDir, resolve(configFile))
  await buildServer(root, join(imageContext, 'dist', 'server'), resolve(configFile), { configEntry: false })
  // Checked as a server's start checks it, so a bad config fails here with the same one line, not at the first cold start.
  const bundled = join(imageContext, 'dist', 'server', IMAGE_CONFIG_FILE)
  const { default: config } = (await import(pathToFileURL(bundled).href)) as { default: unknown }
  compileConfig(config, configFile)
  compileFunctions(config, configFile)
  mkdirSync(join(imageContext, 'deploy'), { recursive: true })
  cpSync(join(root, 'deploy', 'container'), join(imageContext, 'deploy', 'container'), { recursive: true })
  return { lambdaBundleDir, imageContext }
}

// node --import tsx scripts/build-for-config.ts <config module> <stage folder>
if (import.meta.url === `file://${process.argv[1]}`) {
  const [configFile, stage] = process.argv.slice(2)
  if (!configFile || !stage) {
    console.error('usage: build-for-config <config module> <stage folder>')
    process.exit(2)
  }
  try {
    await buildForConfig(new URL('..', import.meta.url).pathname, configFile, stage)
  } catch (error) {
    // A bad config is the operator's to fix: its one line, no stack.
    console.error((error as Error).message)
    process.exit(1)
  }
}
