import { join } from 'node:path'
import { CfnOutput, Stack, aws_secretsmanager as secretsmanager, type StackProps } from 'aws-cdk-lib'
import { type Construct } from 'constructs'
import { OperationsAlarms } from './alarms.ts'
import { HttpApiHandlers } from './http-api.ts'
import { Network } from './network.ts'
import { RealtimeServices } from './realtime-services.ts'
import { RedisCache } from './redis.ts'
import { RethinkDbCluster } from './rethinkdb-cluster.ts'
import { DataFlowSecurityGroups, Port } from './security-groups.ts'
import { buildOperatorConfig } from './operator-build.ts'
import { serverImage } from './server-container.ts'
import { serverEnvironment } from './server-environment.ts'
import type { DeploySettings } from './settings.ts'

/** Options of {@link RtkitStack}. */
export interface RtkitStackProps extends StackProps {
  settings: DeploySettings
  /** Folder of the Lambda bundles (`dist/lambdas` after `npm run build:lambdas`); unused with `config`. */
  lambdaBundleDir?: string
  /** Repository root: the container image's build context (with `config`, where the build is staged). */
  repositoryRoot: string
  /**
   * An operator's config module (`rtkit.config.mjs`): the stack builds the
   * Lambda bundles and the server image for it at synth (under
   * `dist/deploy/`), so one config drives HTTP rules, functions, realtime
   * permissions and migrations. Without it, the stack ships the prebuilt
   * `lambdaBundleDir` and `dist/server/` (`npm run synth` builds them).
   */
  config?: string
}

/**
 * rtkit on AWS, as DESIGN.md "Deployment" draws it: a VPC; one Lambda per
 * handler behind an HTTP API generated from the route table; deepstream and
 * the bridge on ECS Fargate behind a load balancer; ElastiCache Redis; a
 * RethinkDB cluster on EC2; the JWT secret in Secrets Manager; CloudWatch
 * alarms on the API's errors and latency and the bridge's lag. The stack is
 * environment-agnostic, so synthesising it needs no AWS account.
 */
export class RtkitStack extends Stack {
  readonly network: Network
  readonly securityGroups: DataFlowSecurityGroups
  readonly jwtSecret: secretsmanager.Secret
  readonly database: RethinkDbCluster
  readonly redis: RedisCache
  readonly http: HttpApiHandlers
  readonly services: RealtimeServices
  readonly alarms: OperationsAlarms

  constructor(scope: Construct, id: string, props: RtkitStackProps) {
    super(scope, id, props)
    const { settings } = props
    const built = props.config ? buildOperatorConfig(props.repositoryRoot, props.config) : undefined
    const lambdaBundleDir = built?.lambdaBundleDir ?? props.lambdaBundleDir ?? join(props.repositoryRoot, 'dist', 'lambdas')
    this.network = new Network(this, 'Network', { natGateways: settings.natGateways })
    const { vpc, namespace, privateSubnets } = this.network
    this.securityGroups = new DataFlowSecurityGroups(this, 'SecurityGroups', {
      vpc,
      publicPorts: settings.certificateArn ? [Port.http, Port.https] : [Port.http],
    })

    // CloudFormation generates the value at deploy time; the template only
    // says how (64 letters and digits, enough for HS256).
    this.jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      description: 'rtkit: HMAC key that signs and verifies JWTs (RTKIT_JWT_SECRET)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    })

    this.database = new RethinkDbCluster(this, 'RethinkDb', {
      vpc,
      subnets: privateSubnets,
      securityGroup: this.securityGroups.rethinkdb,
      namespace,
      nodes: settings.rethinkdb.nodes,
      instanceType: settings.rethinkdb.instanceType,
      volumeGiB: settings.rethinkdb.volumeGiB,
      image: settings.rethinkdb.image,
      db: 'rtkit',
    })
    this.redis = new RedisCache(this, 'Redis', {
      subnets: privateSubnets,
      securityGroup: this.securityGroups.redis,
      nodeType: settings.redis.nodeType,
      nodes: settings.redis.nodes,
    })
    const environment = serverEnvironment(settings, this.database.url)

    this.http = new HttpApiHandlers(this, 'Http', {
      vpc,
      subnets: privateSubnets,
      securityGroup: this.securityGroups.lambdas,
      bundleDir: lambdaBundleDir,
      environment,
      jwtSecret: this.jwtSecret,
      corsOrigin: settings.corsOrigin,
      memoryMiB: settings.lambda.memoryMiB,
      timeoutSeconds: settings.lambda.timeoutSeconds,
    })
    this.services = new RealtimeServices(this, 'Services', {
      vpc,
      subnets: privateSubnets,
      namespace,
      securityGroups: this.securityGroups,
      image: serverImage(built?.imageContext ?? props.repositoryRoot),
      settings,
      environment,
      jwtSecret: this.jwtSecret,
      redisUrl: this.redis.url,
      redisAuthToken: this.redis.authToken,
    })

    this.alarms = new OperationsAlarms(this, 'Alarms', { api: this.http.api, bridgeLogs: this.services.bridgeLogs })

    new CfnOutput(this, 'ApiUrl', { value: this.http.api.apiEndpoint, description: '<rt-provider api-url=…>' })
    new CfnOutput(this, 'RealtimeUrl', {
      value: this.services.realtimeUrl,
      description: '<rt-provider realtime-url=…>; with a certificate, use your domain (CNAME to the load balancer) in place of its name',
    })
    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.services.loadBalancer.loadBalancerDnsName })
    new CfnOutput(this, 'JwtSecretArn', { value: this.jwtSecret.secretArn, description: 'the JWT secret (its ARN, not its value)' })
  }
}
