import { ServerRole } from './config.ts'
import { dataLines } from './data-location.ts'
import { readCommand } from './lib/command-line.ts'
import { runMain, trapStopSignals } from './lib/process-lifecycle.ts'
import { startNode } from './stack.ts'

/**
 * The bundled server alone (no demo page): prints one ready line that
 * scripts and tests wait for. SIGINT/SIGTERM stop everything and exit 0.
 * `npm start` (scripts/start.ts) runs this plus the demo page.
 *
 * `RTKIT_ROLE` picks the parts; the line names what runs here, and in a
 * cluster (a role list or `RTKIT_REDIS_URL`) which node this is:
 *
 *   rtkit ready api=<http url> realtime=<ws url> [ops=<http url>] [node=<name> roles=<list>]
 *
 * `ops=` appears for a process without the API gateway: where its
 * `GET /ready` and `GET /metrics` are (with the gateway, they are on `api=`).
 *
 * `rtkit-server export|import|users …` do one job on the same database and
 * exit (`server/admin/run-command.ts`).
 */
/**
 * How long a signalled stop answers `GET /ready` with 503 while still serving
 * everything else, before anything stops taking work (at most `RTKIT_DRAIN_MS`):
 * a balancer polling `/ready` then takes the node out on that answer (HAProxy
 * in `npm run cluster` checks every 500 ms and takes a node out after two
 * failures), and a person watching sees `draining`, not a refused connection.
 */
const DRAIN_NOTICE_MS = 1_000

const command = readCommand(process.argv.slice(2))
const configFile = command.config
/**
 * The process that started this one, read before anything else runs: a
 * launcher stopped while this server was still starting (or between its
 * ready line and the line that set the watch up, on a busy machine) would
 * otherwise be gone already, its successor taken for the parent, and the
 * server left running for good.
 */
const launcher = process.ppid
/** Sends this process SIGTERM (a clean stop) once its launcher has exited; checked every second, from the start. */
function stopWhenLauncherExits(): void {
  setInterval(() => {
    if (process.ppid !== launcher) process.kill(process.pid, 'SIGTERM')
  }, 1_000).unref()
}

runMain(async () => {
  // export, import, users: one job, then exit (server/admin/).
  if (command.command !== 'serve')
    return import('./admin/run-command.ts').then(({ runCommand }) => runCommand(command)).then(() => process.exit(0))
  const stopWith = trapStopSignals()
  // Started by npx or npm (`npx rtkit-server`): npx passes a SIGTERM on to the
  // shell it runs this through, which dies without passing it on, so a process
  // manager stopping npx left this server running, holding its ports. Stop
  // when the launcher is gone; a stop during start-up waits for it (trapStopSignals).
  if (process.env.npm_command) stopWhenLauncherExits()
  const node = await startNode(configFile ? { ...process.env, RTKIT_CONFIG: configFile } : process.env)
  const { config } = node
  const clustered = config.redisUrl !== undefined || config.roles.size < Object.keys(ServerRole).length
  const parts = [
    ...(node.apiUrl ? [`api=${node.apiUrl}`] : []),
    ...(node.realtimeUrl ? [`realtime=${node.realtimeUrl}`] : []),
    ...(node.opsUrl ? [`ops=${node.opsUrl}`] : []),
    ...(clustered ? [`node=${config.nodeName}`, `roles=${[...config.roles].join(',')}`] : []),
  ]
  console.log(`rtkit ready ${parts.join(' ')}`)
  for (const line of dataLines(node)) console.log(line)
  const backups = await import('./admin/scheduled-backups.ts').then((module) => module.backupsFor(node))
  // A signal makes /ready answer 503 at once and gives notice (DRAIN_NOTICE_MS), drains (RTKIT_DRAIN_MS), then stops the backups and the parts (node.close).
  const noticeMs = Math.min(DRAIN_NOTICE_MS, config.drainMs)
  stopWith(async () => {
    node.drain()
    await new Promise((resolve) => setTimeout(resolve, noticeMs))
    await backups?.stop()
    await node.close()
  }, config.drainMs + noticeMs)
  // Started by `npm run cluster` (an IPC channel): stop when it goes, even
  // if it was killed before it could stop this node.
  if (process.send) process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'))
})
