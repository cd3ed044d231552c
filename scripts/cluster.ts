/**
 * `npm run cluster`: a cluster on this machine on real engines — Redis,
 * `RTKIT_NODES` nodes (default 2; each a separate process with the gateway,
 * deepstream clustered over Redis and the bridge under the lease), one
 * shared database, HAProxy in front — plus the demo page against the
 * balancer (unless `RTKIT_DEMO=false`), and one ready line:
 *
 *   rtkit ready api=<balanced> realtime=<balanced ws> api-nodes=<u1>,<u2> realtime-nodes=<w1>,<w2> [demo=<url>]
 *
 * Ctrl-C (SIGINT) or SIGTERM stops every process it started, Redis and
 * HAProxy included. Lives in scripts/ because the demo page is client code.
 */
import { join } from 'node:path'
import { startDemoServer, type DemoServer } from '../demo/dev-server.ts'
import { loadConfig } from '../server/config.ts'
import { runMain, trapStopSignals } from '../server/lib/process-lifecycle.ts'
import { REDIS_PASSWORD_FILE, startLocalCluster } from './cluster/local-cluster.ts'
import { DEMO_PASSWORD, DEMO_USERS } from '../server/db/seed.ts'

runMain(async () => {
  const stopWith = trapStopSignals()
  const config = loadConfig()
  const cluster = await startLocalCluster({ forwardLogs: true })
  let demo: DemoServer | undefined
  try {
    if (process.env.RTKIT_DEMO !== 'false') {
      demo = await startDemoServer({
        apiUrl: cluster.apiUrl,
        realtimeUrl: cluster.realtimeUrl,
        host: config.host,
        port: config.demoPort,
        dataDir: config.dataDir,
      })
    }
  } catch (error) {
    await cluster.close()
    throw error
  }
  const parts = [
    `api=${cluster.apiUrl}`,
    `realtime=${cluster.realtimeUrl}`,
    `api-nodes=${cluster.nodes.map((node) => node.apiUrl).join(',')}`,
    `realtime-nodes=${cluster.nodes.map((node) => node.realtimeUrl).join(',')}`,
    ...(demo ? [`demo=${demo.url}`] : []),
  ]
  console.log(`rtkit ready ${parts.join(' ')}`)
  // Where the Redis password is, never the password itself.
  const redisPassword =
    config.dataDir === 'memory' ? 'password for this run only' : `password in ${join(config.dataDir, REDIS_PASSWORD_FILE)}`
  console.log(
    `${cluster.nodes.length} nodes (${cluster.nodes.map((node) => `${node.name} pid ${node.pid}`).join(', ')}), ` +
      `Redis ${cluster.redis ? `pid ${cluster.redis.pid} at ${cluster.redisUrl} (${redisPassword})` : 'from RTKIT_REDIS_URL'}, ` +
      `HAProxy pid ${cluster.balancer.pid}, database ${cluster.database ? `embedded in this process, data in ${cluster.database.dataDir}` : 'from RTKIT_RETHINKDB_URL'}`,
  )
  if (demo && config.seed)
    console.log(
      `demo users: ${DEMO_USERS.map((user) => user.username).join(' and ')}, password ${DEMO_PASSWORD} — open the demo in two windows`,
    )

  stopWith(async () => {
    await demo?.close()
    await cluster.close()
  })
})
