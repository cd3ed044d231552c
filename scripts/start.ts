/**
 * `npm start`: the bundled server (embedded database unless configured,
 * gateway, deepstream, bridge) plus the demo page, with one ready line that
 * scripts and tests wait for:
 *
 *   rtkit ready api=<http url> realtime=<ws url> demo=<http url>
 *
 * SIGINT/SIGTERM stop everything (the embedded database writes its final
 * snapshot) and exit 0; package.json runs it with `exec`, so a signal sent to
 * the npm process reaches this one. `RTKIT_DEMO=false` runs the
 * server alone (as `tsx server/start.ts` does). This composition lives in
 * scripts/ because the server never imports client code.
 */
import { startDemoServer, type DemoServer } from '../demo/dev-server.ts'
import { dataLines } from '../server/data-location.ts'
import { readServerArguments, USAGE } from '../server/lib/command-line.ts'
import { runMain, trapStopSignals } from '../server/lib/process-lifecycle.ts'
import { startStack } from '../server/stack.ts'
import { DEMO_PASSWORD, DEMO_USERS } from '../server/db/seed.ts'

const { config: configFile } = readServerArguments(process.argv.slice(2), USAGE.replace('rtkit-server', 'npm start --'))
runMain(async () => {
  const stopWith = trapStopSignals()
  if (configFile) process.env.RTKIT_CONFIG = configFile
  // The demo page proxies /api from this machine, adding each client's address: without it,
  // every visitor of the page would be one address to the sign-in throttle.
  if (process.env.RTKIT_DEMO !== 'false') process.env.RTKIT_TRUST_PROXY ??= 'loopback'
  const stack = await startStack()
  let demo: DemoServer | undefined
  try {
    if (process.env.RTKIT_DEMO !== 'false') {
      demo = await startDemoServer({
        apiUrl: stack.apiUrl,
        realtimeUrl: stack.realtimeUrl,
        host: stack.config.host,
        port: stack.config.demoPort,
        dataDir: stack.embedded?.dataDir,
      })
    }
  } catch (error) {
    await stack.close()
    throw error
  }
  const parts = [`api=${stack.apiUrl}`, `realtime=${stack.realtimeUrl}`, ...(demo ? [`demo=${demo.url}`] : [])]
  console.log(`rtkit ready ${parts.join(' ')}`)
  for (const line of dataLines(stack)) console.log(line)
  if (demo && stack.config.seed)
    console.log(
      `demo users: ${DEMO_USERS.map((user) => user.username).join(' and ')}, password ${DEMO_PASSWORD} — open the demo in two windows`,
    )

  stopWith(async () => {
    await demo?.close()
    await stack.close()
  }, stack.config.drainMs)
})
