import {
  IgnoreMode,
  RemovalPolicy,
  aws_ecr_assets as ecrAssets,
  aws_ecs as ecs,
  aws_logs as logs,
  type aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { Port } from './security-groups.ts'

/**
 * What the image build sees of the repository: the server bundle and its
 * embedded database's worker, the operator's config bundled beside it (when
 * the build had one), and the container folder. Everything else stays out,
 * so staging the asset at synth copies a few files and its hash changes only
 * with the server or the config.
 */
export const IMAGE_CONTEXT_PATTERNS = [
  '*',
  '!dist',
  'dist/*',
  '!dist/server',
  'dist/server/*',
  '!dist/server/server.mjs',
  '!dist/server/embedded-worker.mjs',
  '!dist/server/rtkit.config.mjs',
  '!deploy',
  'deploy/*',
  '!deploy/container',
]

/**
 * The rtkit server image (`deploy/container/Dockerfile`), one for deepstream
 * and the bridge: `RTKIT_ROLE` picks the part. `fromAsset` only stages the
 * build context at synth; Docker runs when `cdk deploy` publishes it.
 */
export function serverImage(repositoryRoot: string): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(repositoryRoot, {
    file: 'deploy/container/Dockerfile',
    exclude: IMAGE_CONTEXT_PATTERNS,
    ignoreMode: IgnoreMode.DOCKER,
    platform: ecrAssets.Platform.LINUX_AMD64,
  })
}

/** Options of {@link ServerTask}. */
export interface ServerTaskProps {
  image: ecs.ContainerImage
  /** `RTKIT_ROLE`: `realtime`, `bridge` (a comma list may combine them). */
  role: string
  cpu: number
  memoryMiB: number
  /** Shared server environment plus the role's own variables. */
  environment: Record<string, string>
  jwtSecret: secretsmanager.ISecret
  /** Redis's AUTH token (`RTKIT_REDIS_PASSWORD`). */
  redisAuthToken: secretsmanager.ISecret
  /** The port the container listens on, if any. */
  port?: number
}

/**
 * A Fargate task definition running the server image in one role. The JWT
 * secret and Redis's AUTH token reach the container through ECS `secrets`
 * (the agent reads them at start with the execution role), so neither is
 * ever in the task definition.
 */
export class ServerTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition
  readonly container: ecs.ContainerDefinition
  /** The container's log (the server's JSON lines). */
  readonly logGroup: logs.LogGroup

  constructor(scope: Construct, id: string, props: ServerTaskProps) {
    super(scope, id)
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    })
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.logGroup = logGroup
    this.container = this.taskDefinition.addContainer('server', {
      image: props.image,
      essential: true,
      // No task runs the API gateway (API Gateway and Lambda do), so each serves /ready and /metrics on a port of its own.
      environment: { ...props.environment, RTKIT_ROLE: props.role, RTKIT_OPS_PORT: String(Port.ops) },
      secrets: {
        RTKIT_JWT_SECRET: ecs.Secret.fromSecretsManager(props.jwtSecret),
        RTKIT_REDIS_PASSWORD: ecs.Secret.fromSecretsManager(props.redisAuthToken),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: props.role }),
      // The role's own port first: a load balancer attached to the service sends traffic to the first mapping.
      portMappings: [...(props.port === undefined ? [] : [{ containerPort: props.port }]), { containerPort: Port.ops }],
    })
  }
}
