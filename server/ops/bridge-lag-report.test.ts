import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { captureLogs, setLogLevel } from '../lib/log.ts'
import { BRIDGE_LAG_METRIC, reportBridgeLag } from './bridge-lag-report.ts'
import { signals, type BridgePublishSignal } from './signals.ts'

// The line a CloudWatch metric filter reads (deploy/alarms.ts): its field
// names are what the filter's pattern and value name.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const publish = (message: BridgePublishSignal) => signals.bridgePublish.publish(message)

describe('reportBridgeLag', () => {
  let stop = () => undefined as void
  afterEach(() => stop())

  it('writes one line per period with the largest lag and the count, and none for a period without events', async () => {
    // Prepare
    setLogLevel('info')
    const logs = captureLogs()
    const report = reportBridgeLag(100)
    stop = () => {
      report.close()
      logs.restore()
      setLogLevel('warn')
    }
    // Act
    publish({ op: 'upsert', lagSeconds: 0.02 })
    publish({ op: 'upsert', lagSeconds: 0.5 })
    publish({ op: 'resync' })
    const lines = () => logs.lines.filter((line) => line.metric === BRIDGE_LAG_METRIC)
    for (const deadline = Date.now() + 5_000; lines().length === 0 && Date.now() < deadline;) await sleep(20)
    await sleep(300) // three more periods, without events
    // Assess
    const written = lines()
    assert.equal(written.length, 1, 'one line for the period with events, none after')
    assert.equal(written[0]!.maxSeconds, 0.5)
    assert.equal(written[0]!.events, 2, 'a resync has no lag')
    assert.equal(written[0]!.msg, 'bridge lag')
    assert.equal(written[0]!.level, 'info')
  })
})
