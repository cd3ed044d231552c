import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { captureLogs, setLogLevel } from '../server/lib/log.ts'
import { reportBridgeLag } from '../server/ops/bridge-lag-report.ts'
import { signals } from '../server/ops/signals.ts'
import { ALARM_THRESHOLDS, BRIDGE_LAG_METRIC_NAME } from './alarms.ts'
import { cleanUp, referenced, resourcesOf, synthesise, type Resource, type Synthesised } from './testing/synth.ts'

// The CloudWatch alarms in the synthesised template: what each watches, its
// threshold, where it sends; and that the bridge-lag filter matches the
// line the bridge really writes.

let synth: Synthesised
let alarms: Resource[]
before(async () => {
  synth = await synthesise()
  alarms = Object.values(resourcesOf(synth.template, 'AWS::CloudWatch::Alarm'))
})
after(() => cleanUp())

const httpApiId = () => synth.logicalId(synth.stack.http.api)
const alarmWith = (text: string) => {
  const found = alarms.find((alarm) => String(alarm.Properties.AlarmDescription).includes(text))
  assert.ok(found, `an alarm described with "${text}"`)
  return found
}

/** Whether a JSON log line matches a CloudWatch `{ $.a.b = "value" }` pattern, and the number a `$.field` value selects. */
function matches(pattern: string, line: Record<string, unknown>): boolean {
  const [, path, value] = /^\{ \$\.([\w.]+) = "([^"]*)" \}$/.exec(pattern) ?? []
  assert.ok(path, `a pattern of one JSON field: ${pattern}`)
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], line) === value
}

describe('the CloudWatch alarms', () => {
  it('are three, each sending to the one SNS topic the stack outputs', () => {
    const topics = Object.keys(resourcesOf(synth.template, 'AWS::SNS::Topic'))
    assert.equal(topics.length, 1)
    assert.equal(alarms.length, 3)
    for (const alarm of alarms) assert.deepEqual(alarm.Properties.AlarmActions?.map(referenced), topics)
    assert.ok(Object.keys(synth.template.findOutputs('*')).some((name) => name.includes('AlarmTopicArn')))
  })

  it("fire on the HTTP API's 5xx rate: 5xx over requests, in per cent", () => {
    const alarm = alarmWith('5xx')
    const queries = alarm.Properties.Metrics as Array<Record<string, any>>
    const expression = queries.find((query) => query.Expression)
    assert.equal(expression?.Expression, '100 * errors / MAX([requests, 1])')
    const metric = (id: string) => queries.find((query) => query.Id === id)?.MetricStat
    for (const [id, name] of [
      ['errors', '5xx'],
      ['requests', 'Count'],
    ] as const) {
      assert.equal(metric(id)?.Metric.Namespace, 'AWS/ApiGateway')
      assert.equal(metric(id)?.Metric.MetricName, name)
      assert.equal(metric(id)?.Stat, 'Sum')
      assert.equal(referenced(metric(id)?.Metric.Dimensions[0].Value), httpApiId(), `${name} of the HTTP API`)
    }
    assert.equal(alarm.Properties.Threshold, ALARM_THRESHOLDS.serverErrorPercent)
    assert.equal(alarm.Properties.EvaluationPeriods, 5)
    assert.equal(alarm.Properties.DatapointsToAlarm, 3)
    assert.equal(alarm.Properties.TreatMissingData, 'notBreaching')
  })

  it("fire on the HTTP API's p99 latency", () => {
    const alarm = alarmWith('p99 latency')
    assert.equal(alarm.Properties.Namespace, 'AWS/ApiGateway')
    assert.equal(alarm.Properties.MetricName, 'Latency')
    assert.equal(alarm.Properties.ExtendedStatistic, 'p99')
    assert.equal(referenced(alarm.Properties.Dimensions[0].Value), httpApiId())
    assert.equal(alarm.Properties.Threshold, ALARM_THRESHOLDS.p99LatencyMs)
  })

  it("fire on the bridge's lag, which a metric filter reads from the line the bridge writes to its log group", async () => {
    const alarm = alarmWith('bridge')
    const [filter] = Object.values(resourcesOf(synth.template, 'AWS::Logs::MetricFilter'))
    assert.ok(filter, 'a metric filter')
    assert.equal(referenced(filter.Properties.LogGroupName), synth.logicalId(synth.stack.services.bridgeLogs))
    const [transformation] = filter.Properties.MetricTransformations
    assert.equal(transformation.MetricName, BRIDGE_LAG_METRIC_NAME)
    assert.equal(alarm.Properties.MetricName, BRIDGE_LAG_METRIC_NAME)
    assert.equal(alarm.Properties.Namespace, transformation.MetricNamespace)
    assert.equal(alarm.Properties.Statistic, 'Maximum')
    assert.equal(alarm.Properties.Threshold, ALARM_THRESHOLDS.bridgeLagSeconds)

    // The line itself, as the bridge writes it.
    setLogLevel('info')
    const logs = captureLogs()
    const report = reportBridgeLag(20)
    try {
      signals.bridgePublish.publish({ op: 'upsert', lagSeconds: 7.5 })
      for (const deadline = Date.now() + 5_000; logs.lines.length === 0 && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      report.close()
      logs.restore()
      setLogLevel('warn')
    }
    const [line] = logs.lines
    assert.ok(line, 'the bridge wrote its lag line')
    assert.ok(matches(filter.Properties.FilterPattern, line), `${filter.Properties.FilterPattern} matches ${JSON.stringify(line)}`)
    assert.equal(transformation.MetricValue, '$.maxSeconds')
    assert.equal(line.maxSeconds, 7.5, 'the value the filter publishes')
  })
})
