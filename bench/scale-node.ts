import { readdirSync } from 'node:fs'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import r from 'rethinkdb'
import { connectOptions } from '../server/db/connection.ts'
import { USERS_TABLE, type UserRecord } from '../server/db/users.ts'
import { startStack } from '../server/stack.ts'
import { testEnv } from '../server/testing/test-env.ts'

/**
 * The realtime node of the `scale` figure, in its own process (its own
 * open-files limit, its own heap): the whole stack as `npm start` runs it
 * (API, deepstream, bridge, embedded database), started with `--expose-gc`
 * by bench/figures/scale.ts and driven over IPC. Nothing here changes the
 * server; this file only adds what the figure reads:
 *
 * - `ready` carries the URLs and the JWT settings, so the figure signs its
 *   clients' tokens itself (no sign-in route, no throttle in the way);
 * - `{ type: 'users', count }` inserts that many accounts (`scale-<i>`)
 *   straight into the users table, so every token belongs to a live user;
 * - `{ type: 'measure' }` forces two full GCs and answers heap used,
 *   external memory, RSS and open file descriptors;
 * - `{ type: 'sample' }` answers the CPU time used so far, and since the
 *   last sample the event loop's delay (p99, max) and the main thread's GC
 *   pauses (how many, their total and the longest).
 */
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('scale-node needs --expose-gc')

const stack = await startStack(testEnv({ RTKIT_LOG_LEVEL: 'error' }))
const loop = monitorEventLoopDelay({ resolution: 10 })
loop.enable()
let pauses = { count: 0, totalMs: 0, maxMs: 0 }
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    pauses.count++
    pauses.totalMs += entry.duration
    pauses.maxMs = Math.max(pauses.maxMs, entry.duration)
  }
}).observe({ entryTypes: ['gc'] })

async function insertUsers(count: number): Promise<void> {
  const conn = await r.connect(connectOptions(stack.config.database))
  try {
    for (let i = 0; i < count; i += 1_000) {
      const rows: UserRecord[] = Array.from({ length: Math.min(1_000, count - i) }, (_, j) => ({
        id: `scale-${i + j}`,
        userId: `scale-user-${i + j}`,
        name: `Scale ${i + j}`,
        // Not a hash of anything: these accounts never sign in with a password.
        passwordHash: '!',
        createdAt: new Date().toISOString(),
      }))
      await r.table(USERS_TABLE).insert(rows, { conflict: 'replace' }).run(conn)
    }
  } finally {
    await conn.close()
  }
}

process.on('message', (message: { type: string; count?: number }) => {
  if (message.type === 'users') {
    void insertUsers(message.count ?? 0).then(
      () => process.send?.({ type: 'users' }),
      (error: unknown) => process.send?.({ type: 'users', error: String(error) }),
    )
  } else if (message.type === 'measure') {
    gc()
    gc()
    const memory = process.memoryUsage()
    process.send?.({
      type: 'measure',
      heapUsed: memory.heapUsed,
      external: memory.external,
      rss: memory.rss,
      fds: readdirSync('/proc/self/fd').length,
    })
  } else if (message.type === 'sample') {
    process.send?.({ type: 'sample', cpu: process.cpuUsage(), loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6, gc: pauses })
    loop.reset()
    pauses = { count: 0, totalMs: 0, maxMs: 0 }
  } else if (message.type === 'stop') {
    void stack.close().finally(() => process.exit(0))
  }
})
// The figure's process going away stops this one too.
process.on('disconnect', () => void stack.close().finally(() => process.exit(0)))
process.send?.({ type: 'ready', apiUrl: stack.apiUrl, realtimeUrl: stack.realtimeUrl, jwt: stack.config.jwt })
