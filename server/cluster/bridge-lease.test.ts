import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Redis from 'ioredis'
import { startRedisServer, type RedisServer } from '../../scripts/cluster/redis-server.ts'
import { captureLogs, log } from '../lib/log.ts'
import { holdLease, leaseConnection, leaseTimings, type Lease, type LeaseTimings } from './bridge-lease.ts'

// The lease against a real redis-server, with short timings: one holder,
// hand-over on a clean stop and on a silent holder, and stepping down on the
// holder's own clock when Redis stops answering.

const timings: LeaseTimings = { ttlMs: 600, renewEveryMs: 150, acquireEveryMs: 50, marginMs: 100 }
let redis: RedisServer
let admin: Redis.Redis
let keys = 0
const open: Lease[] = []
const logs = captureLogs()

before(async () => {
  redis = await startRedisServer()
  admin = new Redis(redis.url, { password: redis.password })
})
after(async () => {
  for (const lease of open) await lease.close()
  admin.disconnect()
  await redis.stop()
  logs.restore()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `RTKIT_REDIS_URL` as the bridge reads it: the password in the URL. */
function leaseUrl(): URL {
  const url = new URL(redis.url)
  url.password = redis.password
  return url
}

/** A contender with its own connection, recording when it took and lost the lease. */
function contender(key: string, holder: string, overrides: { now?: () => number; connection?: Redis.Redis } = {}) {
  const events: Array<{ what: 'acquired' | 'lost'; at: number; reason?: string }> = []
  const lease = holdLease({
    redis: overrides.connection ?? leaseConnection(leaseUrl(), 200),
    key,
    holder,
    timings,
    log,
    onAcquired: () => events.push({ what: 'acquired', at: performance.now() }),
    onLost: (reason) => events.push({ what: 'lost', at: performance.now(), reason }),
    ...(overrides.now ? { now: overrides.now } : {}),
  })
  open.push(lease)
  return { lease, events, holder }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now()
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(5)
  }
  return performance.now() - started
}

describe('the bridge lease', () => {
  it('has exactly one holder among several contenders, and its value names the holder', async () => {
    const key = `lease-${keys++}`
    const nodes = ['node-a', 'node-b', 'node-c'].map((name) => contender(key, name))
    await until(() => nodes.some((n) => n.lease.held), 2_000, 'a holder')
    // Several renewals later, still one holder and no change of hands.
    await sleep(timings.ttlMs * 2)
    const holders = nodes.filter((n) => n.lease.held)
    assert.equal(holders.length, 1)
    assert.deepEqual(
      nodes.flatMap((n) => n.events.map((e) => `${n.holder} ${e.what}`)),
      [`${holders[0]!.holder} acquired`],
    )
    assert.match((await admin.get(key)) ?? '', new RegExp(`^${holders[0]!.holder} `))
  })

  it('hands over at once when the holder closes', async () => {
    const key = `lease-${keys++}`
    const first = contender(key, 'first')
    await until(() => first.lease.held, 2_000, 'the first holder')
    const second = contender(key, 'second')
    await sleep(100)
    assert.equal(second.lease.held, false)
    await first.lease.close()
    const took = await until(() => second.lease.held, 2_000, 'the hand-over')
    assert.ok(took < timings.ttlMs, `took ${took} ms, within the acquire interval rather than the lease time`)
  })

  it('passes to another node within the lease time when the holder goes silent, and never to two at once', async () => {
    const key = `lease-${keys++}`
    const connection = leaseConnection(leaseUrl(), 200)
    const silent = contender(key, 'silent', { connection })
    await until(() => silent.lease.held, 2_000, 'the first holder')
    const waiting = contender(key, 'waiting')
    // Its connection dies without a word (as a killed process's would).
    connection.disconnect()
    const silencedAt = performance.now()
    await until(() => waiting.lease.held, timings.ttlMs + 1_000, 'the takeover')
    const lost = silent.events.find((e) => e.what === 'lost')
    const acquired = waiting.events.find((e) => e.what === 'acquired')!
    assert.ok(lost, 'the silent holder stepped down')
    assert.ok(lost.at < acquired.at, 'the old holder stopped before the new one started')
    assert.ok(acquired.at - silencedAt <= timings.ttlMs + timings.acquireEveryMs + 400, `took ${acquired.at - silencedAt} ms`)
  })

  it('steps down on its own clock, without waiting for a timer or Redis', async () => {
    const key = `lease-${keys++}`
    let skew = 0
    const node = contender(key, 'clocked', { now: () => performance.now() + skew })
    await until(() => node.lease.held, 2_000, 'the lease')
    // The process was frozen past the lease's expiry (e.g. a long pause):
    // the first check after it must say no, before any timer has run.
    skew = timings.ttlMs
    assert.equal(node.lease.held, false)
  })

  it('steps down when another node holds the key', async () => {
    const key = `lease-${keys++}`
    const node = contender(key, 'overtaken')
    await until(() => node.lease.held, 2_000, 'the lease')
    await admin.set(key, 'someone-else', 'PX', 10_000)
    await until(() => !node.lease.held, 2_000, 'stepping down')
    assert.match(node.events.at(-1)?.reason ?? '', /no longer this node's/)
    assert.equal(await admin.get(key), 'someone-else', 'never renews what is not its own')
  })

  it('steps down within the lease time while Redis is paused, and one holder resumes after', async () => {
    const key = `lease-${keys++}`
    const nodes = ['p1', 'p2'].map((name) => contender(key, name))
    await until(() => nodes.some((n) => n.lease.held), 2_000, 'a holder')
    const holder = nodes.find((n) => n.lease.held)!
    redis.pause()
    const pausedAt = performance.now()
    try {
      const stepped = await until(() => !holder.lease.held, timings.ttlMs + 500, 'the holder to step down')
      assert.ok(stepped <= timings.ttlMs, `stepped down after ${stepped} ms`)
      assert.ok(
        nodes.every((n) => !n.lease.held),
        'nobody holds it while Redis cannot confirm',
      )
      assert.ok(holder.events.some((e) => e.what === 'lost' && e.at - pausedAt <= timings.ttlMs))
    } finally {
      redis.resume()
    }
    await until(() => nodes.some((n) => n.lease.held), 3_000, 'a holder after Redis resumed')
    await sleep(timings.ttlMs)
    assert.equal(nodes.filter((n) => n.lease.held).length, 1)
  })
})

describe('leaseTimings', () => {
  it('scales every timing with the lease time', () => {
    assert.deepEqual(leaseTimings(3_000), { ttlMs: 3_000, renewEveryMs: 1_000, acquireEveryMs: 500, marginMs: 300 })
    assert.deepEqual(leaseTimings(12_000), { ttlMs: 12_000, renewEveryMs: 4_000, acquireEveryMs: 2_000, marginMs: 1_200 })
  })
})
