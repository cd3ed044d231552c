import {
  CfnOutput,
  Duration,
  Stack,
  type aws_apigatewayv2 as apigwv2,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_logs as logs,
  aws_sns as sns,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { BRIDGE_LAG_METRIC } from '../server/ops/bridge-lag-report.ts'

/** Options of {@link OperationsAlarms}. */
export interface OperationsAlarmsProps {
  /** The HTTP API (its 5xx answers and latency). */
  api: apigwv2.IHttpApi
  /** The bridge tasks' log group, where the bridge writes its lag line once a minute. */
  bridgeLogs: logs.ILogGroup
}

/** When each alarm fires: 3 of the last 5 one-minute periods past the threshold. */
export const ALARM_THRESHOLDS = {
  /** Per cent of the API's requests answered 5xx. */
  serverErrorPercent: 1,
  /** The API's p99 latency (API Gateway's `Latency`: the whole request, Lambda included), ms. */
  p99LatencyMs: 1_000,
  /** The bridge's largest lag from a database change to its deepstream event, seconds. */
  bridgeLagSeconds: 5,
} as const

/** The metric the bridge-lag filter publishes, in the namespace `rtkit/<stack name>`. */
export const BRIDGE_LAG_METRIC_NAME = 'BridgeLagMaxSeconds'

/**
 * CloudWatch alarms on what an operator of rtkit on AWS must hear about
 * (README, "Operating rtkit"), each sending to one SNS topic (its ARN is an
 * output: subscribe an e-mail address or a pager to it):
 *
 * - the HTTP API's 5xx rate, from API Gateway's own `5xx` and `Count`;
 * - its p99 latency, API Gateway's `Latency` at p99;
 * - the bridge's lag. Nothing scrapes `/metrics` on AWS, so the bridge
 *   writes its largest lag once a minute as a JSON log line
 *   (`{ "metric": "rtkit_bridge_lag", "maxSeconds": … }`) and a metric filter
 *   on its log group publishes `maxSeconds` as `BridgeLagMaxSeconds`. A
 *   metric filter works on any log group; embedded metric format would need
 *   an agent beside the Fargate task.
 *
 * A period without requests or events is missing data, which counts as fine.
 */
export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic
  readonly serverErrors: cloudwatch.Alarm
  readonly latency: cloudwatch.Alarm
  readonly bridgeLag: cloudwatch.Alarm

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id)
    const period = Duration.minutes(1)
    const when = {
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'rtkit alarms' })

    const errorRate = new cloudwatch.MathExpression({
      expression: '100 * errors / MAX([requests, 1])',
      usingMetrics: {
        errors: props.api.metricServerError({ period, statistic: cloudwatch.Stats.SUM }),
        requests: props.api.metricCount({ period, statistic: cloudwatch.Stats.SUM }),
      },
      label: 'HTTP API 5xx, % of requests',
      period,
    })
    this.serverErrors = errorRate.createAlarm(this, 'ServerErrors', {
      alarmDescription: `rtkit: more than ${ALARM_THRESHOLDS.serverErrorPercent} % of HTTP API requests answered 5xx`,
      threshold: ALARM_THRESHOLDS.serverErrorPercent,
      ...when,
    })

    this.latency = props.api.metricLatency({ period, statistic: cloudwatch.Stats.p(99) }).createAlarm(this, 'Latency', {
      alarmDescription: `rtkit: HTTP API p99 latency above ${ALARM_THRESHOLDS.p99LatencyMs} ms`,
      threshold: ALARM_THRESHOLDS.p99LatencyMs,
      ...when,
    })

    const namespace = `rtkit/${Stack.of(this).stackName}`
    new logs.MetricFilter(this, 'BridgeLagFilter', {
      logGroup: props.bridgeLogs,
      filterPattern: logs.FilterPattern.stringValue('$.metric', '=', BRIDGE_LAG_METRIC),
      metricNamespace: namespace,
      metricName: BRIDGE_LAG_METRIC_NAME,
      metricValue: '$.maxSeconds',
      unit: cloudwatch.Unit.SECONDS,
    })
    const lag = new cloudwatch.Metric({ namespace, metricName: BRIDGE_LAG_METRIC_NAME, period, statistic: cloudwatch.Stats.MAXIMUM })
    this.bridgeLag = lag.createAlarm(this, 'BridgeLag', {
      alarmDescription: `rtkit: the bridge publishes changes more than ${ALARM_THRESHOLDS.bridgeLagSeconds} s after they were written`,
      threshold: ALARM_THRESHOLDS.bridgeLagSeconds,
      ...when,
    })

    for (const alarm of [this.serverErrors, this.latency, this.bridgeLag]) alarm.addAlarmAction(new actions.SnsAction(this.topic))
    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn, description: 'subscribe to hear of rtkit alarms' })
  }
}
