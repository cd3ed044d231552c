import {
  Duration,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  type aws_logs as logs,
  type aws_secretsmanager as secretsmanager,
  aws_servicediscovery as servicediscovery,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { INTERNAL_DOMAIN } from './network.ts'
import { Port, type DataFlowSecurityGroups } from './security-groups.ts'
import { ServerTask } from './server-container.ts'
import type { DeploySettings } from './settings.ts'

/** deepstream's WebSocket path (`RTKIT_REALTIME_PATH`). */
export const REALTIME_PATH = '/deepstream'
/** The Cloud Map name of the deepstream tasks, for the bridge. */
const REALTIME_NAME = 'realtime'

/** Options of {@link RealtimeServices}. */
export interface RealtimeServicesProps {
  vpc: ec2.IVpc
  subnets: readonly ec2.ISubnet[]
  namespace: servicediscovery.INamespace
  securityGroups: DataFlowSecurityGroups
  image: ecs.ContainerImage
  settings: DeploySettings
  /** Shared server environment (see `serverEnvironment`). */
  environment: Record<string, string>
  jwtSecret: secretsmanager.ISecret
  /** `rediss://…` of the deepstream cluster bus and the lease. */
  redisUrl: string
  /** Redis's AUTH token, which both services give (`RTKIT_REDIS_PASSWORD`). */
  redisAuthToken: secretsmanager.ISecret
}

/**
 * deepstream and the bridge as ECS Fargate services on one cluster, from
 * one image. deepstream's tasks cluster over Redis and sit behind an
 * internet-facing Application Load Balancer (WebSocket upgrade; health
 * check on the task's `GET /ready`, port 6021). The bridge's tasks hold a Redis
 * lease, so one publishes at a time; they reach deepstream directly at
 * `realtime.rtkit.internal` (Cloud Map), since any node relays to the rest.
 */
export class RealtimeServices extends Construct {
  readonly cluster: ecs.Cluster
  readonly realtime: ecs.FargateService
  readonly bridge: ecs.FargateService
  /** The bridge tasks' log, where their lag line goes (see `server/ops/bridge-lag-report.ts`). */
  readonly bridgeLogs: logs.ILogGroup
  readonly loadBalancer: elbv2.ApplicationLoadBalancer
  /** `ws://…` or `wss://…` of the load balancer, for `<rt-provider realtime-url=…>`. */
  readonly realtimeUrl: string

  constructor(scope: Construct, id: string, props: RealtimeServicesProps) {
    super(scope, id)
    const { settings, securityGroups } = props
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc })
    const placement = { vpcSubnets: { subnets: [...props.subnets] }, assignPublicIp: false }
    const rollout = { minHealthyPercent: 100, maxHealthyPercent: 200, circuitBreaker: { rollback: true } }

    const realtimeTask = new ServerTask(this, 'RealtimeTask', {
      image: props.image,
      role: 'realtime',
      cpu: settings.realtime.cpu,
      memoryMiB: settings.realtime.memoryMiB,
      port: Port.realtime,
      jwtSecret: props.jwtSecret,
      redisAuthToken: props.redisAuthToken,
      environment: {
        ...props.environment,
        RTKIT_HOST: '0.0.0.0',
        RTKIT_REALTIME_PORT: String(Port.realtime),
        RTKIT_REALTIME_PATH: REALTIME_PATH,
        RTKIT_REDIS_URL: props.redisUrl,
      },
    })
    this.realtime = new ecs.FargateService(this, 'Realtime', {
      cluster: this.cluster,
      taskDefinition: realtimeTask.taskDefinition,
      desiredCount: settings.realtime.tasks,
      securityGroups: [securityGroups.realtime],
      healthCheckGracePeriod: Duration.seconds(60),
      cloudMapOptions: {
        name: REALTIME_NAME,
        cloudMapNamespace: props.namespace,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        dnsTtl: Duration.seconds(10),
      },
      ...placement,
      ...rollout,
    })

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: securityGroups.loadBalancer,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    })
    const targets = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      port: Port.realtime,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.realtime],
      // The task's readiness on its operations port: deepstream listening (503 before, and while it drains on SIGTERM).
      healthCheck: {
        path: '/ready',
        port: String(Port.ops),
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
      },
      // WebSocket clients reconnect on their own; don't hold a draining task for long.
      deregistrationDelay: Duration.seconds(30),
    })
    // `open: false`: the security groups construct owns the one public rule.
    if (settings.certificateArn) {
      this.loadBalancer.addListener('Https', {
        port: Port.https,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromArn(settings.certificateArn)],
        open: false,
        defaultTargetGroups: [targets],
      })
      this.loadBalancer.addListener('Http', {
        port: Port.http,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: String(Port.https), permanent: true }),
      })
    } else {
      this.loadBalancer.addListener('Http', { port: Port.http, open: false, defaultTargetGroups: [targets] })
    }
    const scheme = settings.certificateArn ? 'wss' : 'ws'
    this.realtimeUrl = `${scheme}://${this.loadBalancer.loadBalancerDnsName}${REALTIME_PATH}`

    const bridgeTask = new ServerTask(this, 'BridgeTask', {
      image: props.image,
      role: 'bridge',
      cpu: settings.bridge.cpu,
      memoryMiB: settings.bridge.memoryMiB,
      jwtSecret: props.jwtSecret,
      redisAuthToken: props.redisAuthToken,
      environment: {
        ...props.environment,
        RTKIT_REDIS_URL: props.redisUrl,
        RTKIT_REALTIME_URL: `ws://${REALTIME_NAME}.${INTERNAL_DOMAIN}:${Port.realtime}${REALTIME_PATH}`,
      },
    })
    this.bridgeLogs = bridgeTask.logGroup
    this.bridge = new ecs.FargateService(this, 'Bridge', {
      cluster: this.cluster,
      taskDefinition: bridgeTask.taskDefinition,
      desiredCount: settings.bridge.tasks,
      securityGroups: [securityGroups.bridge],
      ...placement,
      ...rollout,
    })
  }
}
