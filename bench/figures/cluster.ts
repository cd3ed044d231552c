import { fork, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { DeepstreamClient } from '@deepstream/client'
import Redis from 'ioredis'
import { startLocalCluster, type LocalCluster } from '../../scripts/cluster/local-cluster.ts'
import type { ClusterNode } from '../../scripts/cluster/cluster-node.ts'
import { loadConfig } from '../../server/config.ts'
import { issueToken } from '../../server/lib/tokens.ts'
import { testEnv } from '../../server/testing/test-env.ts'
import { BRIDGE_LEASE_KEY } from '../../server/stack.ts'
import { demoToken } from '../demo-sign-in.ts'
import { round, summarize, type Figure } from '../stats.ts'

const CLIENTS = 50
const WRITES = 30
const SUBSCRIBERS_PER_PROCESS = 250
const EVENTS = 200
const ROUNDS = 3
const GROUP = '8 cluster'
const now = () => performance.timeOrigin + performance.now()

/**
 * Cross-node figures on `npm run cluster`'s cluster (two node processes,
 * redis-server, HAProxy), each beside its same-node twin from the same
 * cluster and the same moment, so the difference is the Redis hop:
 *
 * - `cluster.realtime`: 50 kits, alternately on the node whose bridge
 *   publishes and on the other; one writes through the balanced API; the
 *   time until each other kit's live query shows the change. Value: kits on
 *   the other node; baseline: kits on the publishing node.
 * - `cluster.fanout`: 500 subscribers on one topic, 250 on each node, one
 *   publisher on the first: events delivered per second. Baseline: the same
 *   500 subscribers all on the publisher's node.
 */
export async function clusterFigures(): Promise<Figure[]> {
  const env = testEnv({ RTKIT_REDIS_URL: '', RTKIT_ROLE: '', RTKIT_LOG_LEVEL: 'error' })
  const cluster = await startLocalCluster({ env, nodes: 2 })
  try {
    const publishing = await leaseHolder(cluster)
    const other = cluster.nodes.find((node) => node !== publishing)!
    return [...(await crossNodeLatency(cluster, publishing, other)), ...(await crossNodeFanout(cluster, publishing, other))]
  } finally {
    await cluster.close()
  }
}

async function leaseHolder(cluster: LocalCluster): Promise<ClusterNode> {
  const redis = new Redis(cluster.redisUrl, cluster.redisPassword ? { password: cluster.redisPassword } : {})
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = (await redis.get(BRIDGE_LEASE_KEY)) ?? ''
      const holder = cluster.nodes.find((node) => value.startsWith(`${node.name} `))
      if (holder) return holder
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error('no bridge took the lease')
  } finally {
    redis.disconnect()
  }
}

async function crossNodeLatency(cluster: LocalCluster, publishing: ClusterNode, other: ClusterNode): Promise<Figure[]> {
  const child = fork(new URL('../clients/kits.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      API_URL: cluster.apiUrl,
      REALTIME_URLS: `${publishing.realtimeUrl},${other.realtimeUrl}`,
      PLAIN_URL: '',
      CLIENTS: String(CLIENTS),
      WRITES: String(WRITES),
    },
  })
  const result = await new Promise<{ byUrl: [number[], number[]] }>((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error('latency clients did not finish in 120 s'))), 120_000)
    child.on('message', (message: { type: string; byUrl: [number[], number[]] }) => {
      if (message.type !== 'result') return
      clearTimeout(timer)
      resolve(message)
    })
    child.on('exit', (code) => code && reject(new Error(`latency clients exited with ${code}`)))
  })
  const same = summarize(result.byUrl[0])
  const cross = summarize(result.byUrl[1])
  return [
    {
      id: 'cluster.realtime',
      group: GROUP,
      name: `write → live queries on the other node (${CLIENTS} kits over 2 nodes)`,
      value: round(cross.median),
      p99: round(cross.p99),
      baseline: round(same.median),
      unit: 'ms',
      bar: 'context: baseline + the Redis hop',
      samples: cross.samples,
      note: `same node: p50 ${round(same.median)}, p99 ${round(same.p99)} ms (${same.samples} deliveries)`,
    },
  ]
}

/** A child process of deepstream subscribers (bench/clients/subscribers.ts), driven over IPC. */
async function subscribers(url: string, topic: string, token: string): Promise<ChildProcess> {
  const child = fork(new URL('../clients/subscribers.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, URL: url, TOPIC: topic, COUNT: String(SUBSCRIBERS_PER_PROCESS), TOKENS: JSON.stringify([token]) },
  })
  await reply(child, 'ready')
  return child
}

function reply(child: ChildProcess, type: string): Promise<{ received: number; last: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subscribers did not send ${type}`)), 60_000)
    const onMessage = (message: { type: string; received: number; last: number }) => {
      if (message.type !== type) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(message)
    }
    child.on('message', onMessage)
  })
}

/** Events per second delivered to every subscriber of `children` from `publisher`, over `ROUNDS` rounds after a warm-up. */
async function deliveryRate(
  children: ChildProcess[],
  publisher: DeepstreamClient,
  topic: string,
): Promise<{ rates: number[]; lost: number }> {
  const rates: number[] = []
  let lost = 0
  for (let round = 0; round <= ROUNDS; round++) {
    const arrivals = children.map((child) => reply(child, 'arrived'))
    await Promise.all(
      children.map((child) => {
        const armed = reply(child, 'armed')
        child.send({ type: 'expect', events: EVENTS, timeoutMs: 30_000 })
        return armed
      }),
    )
    const start = now()
    for (let i = 0; i < EVENTS; i++)
      publisher.event.emit(topic, { op: 'upsert', version: i + 1, doc: { id: randomUUID(), title: `event ${i}` } })
    const results = await Promise.all(arrivals)
    const received = results.reduce((sum, r) => sum + r.received, 0)
    // Round 0 warms up (and lets the last subscriptions settle); it is not counted.
    if (round === 0) continue
    lost += children.length * SUBSCRIBERS_PER_PROCESS * EVENTS - received
    rates.push(received / ((Math.max(...results.map((r) => r.last)) - start) / 1000))
  }
  return { rates, lost }
}

async function crossNodeFanout(cluster: LocalCluster, publishing: ClusterNode, other: ClusterNode): Promise<Figure[]> {
  const jwt = loadConfig(cluster.nodeEnv).jwt
  // A user the database knows: a token for an unknown user is refused (it may have been deleted).
  const token = await demoToken(cluster.apiUrl, 'alice')
  const service = issueToken({ id: 'service:bench', username: 'bench', name: 'Bench' }, 'service', jwt).token
  const publisher = new DeepstreamClient(publishing.realtimeUrl, { maxReconnectAttempts: 0 })
  await new Promise<void>((resolve, reject) =>
    publisher.login({ token: service }, (ok) => (ok ? resolve() : reject(new Error('login refused')))),
  )
  const measure = async (nodes: [ClusterNode, ClusterNode]) => {
    const topic = `tasks/fanout-${randomUUID().slice(0, 8)}`
    const children = await Promise.all(nodes.map((node) => subscribers(node.realtimeUrl, topic, token)))
    try {
      return await deliveryRate(children, publisher, topic)
    } finally {
      for (const child of children) child.send({ type: 'close' })
    }
  }
  try {
    const same = await measure([publishing, publishing])
    const cross = await measure([publishing, other])
    const sameRate = summarize(same.rates)
    const crossRate = summarize(cross.rates)
    return [
      {
        id: 'cluster.fanout',
        group: GROUP,
        name: `${2 * SUBSCRIBERS_PER_PROCESS} subscribers, half on the other node, one publisher`,
        value: round(crossRate.median, 0),
        baseline: round(sameRate.median, 0),
        unit: 'events/s',
        bar: 'context: vs. all on the publisher’s node',
        samples: crossRate.samples,
        note: `all on one node: ${round(sameRate.median, 0)} events/s; lost in the measured rounds: ${cross.lost} (one node: ${same.lost})`,
      },
    ]
  } finally {
    publisher.close()
  }
}
