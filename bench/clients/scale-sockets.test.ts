import assert from 'node:assert/strict'
import { fork, type ChildProcess } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { DeepstreamClient } from '@deepstream/client'
import { replyFrom } from '../figures/scale.ts'
import { startPlainDeepstream } from '../plain-deepstream.ts'

// The scale figure's raw-protocol client against a real deepstream node: if a
// deepstream upgrade changed the wire messages it speaks, the figure would
// hold nothing and say so only after minutes; this says so at once. No timing.

const next = <T>(child: ChildProcess, type: string) => replyFrom<T>(child, type, 20_000)

describe('scale-sockets', { timeout: 60_000 }, () => {
  let plain: Awaited<ReturnType<typeof startPlainDeepstream>>
  let child: ChildProcess

  before(async () => {
    plain = await startPlainDeepstream()
    child = fork(new URL('./scale-sockets.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] })
    await next(child, 'ready')
  })

  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send({ type: 'close' })
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(killed)
    }
    await plain.close()
  })

  it('signs each socket in, subscribes it, and reports the send time carried in each event it receives', async () => {
    const sockets = Array.from({ length: 3 }, () => ({ token: 'any', topic: 'scale/test' }))
    const opened = next<{ held: number; failures: Record<string, number> }>(child, 'opened')
    child.send({ type: 'open', url: plain.url, sockets })
    assert.deepEqual(await opened, { type: 'opened', held: 3, dropped: 0, failures: {}, retried: {} })

    const windowed = next(child, 'windowed')
    child.send({ type: 'window' })
    await windowed
    const emitter = new DeepstreamClient(plain.url, { maxReconnectAttempts: 0 })
    try {
      await new Promise<void>((resolve, reject) => emitter.login({}, (ok) => (ok ? resolve() : reject(new Error('login refused')))))
      const sent = performance.timeOrigin + performance.now()
      emitter.event.emit('scale/test', { op: 'upsert', version: 1, doc: { title: `scale ${sent}` } })
      // Bounded: ask until all three arrived, for at most 20 s.
      let report = { received: 0, latencies: [] as number[], held: 0 }
      for (let attempt = 0; attempt < 200 && report.received < 3; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        const answer = next<typeof report>(child, 'report')
        child.send({ type: 'report' })
        const { received, latencies, held } = await answer
        report = { received: report.received + received, latencies: [...report.latencies, ...latencies], held }
        // `report` ends the window; open the next so later arrivals still count.
        const again = next(child, 'windowed')
        child.send({ type: 'window' })
        await again
      }
      assert.equal(report.received, 3)
      assert.equal(report.held, 3)
      assert.equal(report.latencies.length, 3)
      const since = performance.timeOrigin + performance.now() - sent
      for (const latency of report.latencies)
        assert.ok(latency >= 0 && latency <= since, `a latency from the event's own send time (at most ${since} ms), got ${latency}`)
    } finally {
      emitter.close()
    }
  })
})
