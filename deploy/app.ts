import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { App } from 'aws-cdk-lib'
import { missingBundles } from './lambda-bundles.ts'
import { RtkitStack } from './rtkit-stack.ts'
import { readSettings } from './settings.ts'

// The CDK app that `cdk.json` names. Before every `cdk synth` or `cdk deploy`
// the CLI runs cdk.json's `build` step (`npm run build:lambdas` and
// `build:server`), so the functions and the server image always ship the
// current bundles. The stack names no account or
// region, so synthesising calls no AWS API.
const root = fileURLToPath(new URL('..', import.meta.url))
const lambdaBundleDir = join(root, 'dist', 'lambdas')
const missing = missingBundles(lambdaBundleDir)
if (missing.length > 0) {
  console.error(`missing Lambda bundles in dist/lambdas: ${missing.join(', ')}. Run \`npm run build:lambdas\` (\`npm run synth\` does).`)
  process.exit(1)
}
if (!existsSync(join(root, 'dist', 'server', 'server.mjs'))) {
  console.error('missing the server bundle dist/server/server.mjs. Run `npm run build:server` (`npm run synth` does).')
  process.exit(1)
}

const app = new App()
const settings = readSettings((key) => app.node.tryGetContext(key))
new RtkitStack(app, settings.stackName, {
  settings,
  lambdaBundleDir,
  repositoryRoot: root,
  description: 'rtkit: HTTP API on Lambda, deepstream and bridge on ECS, Redis, RethinkDB cluster',
})
app.synth()
