/**
 * What an operator may choose at synth time, as CDK context values
 * (`npx cdk synth -c rethinkdbNodes=5`, or `"context"` in `cdk.json`). Every
 * value has a default, so `npm run synth` works on a fresh clone with none.
 * Counts change the template's shape (how many nodes, tasks), which is why
 * they are context values rather than CloudFormation parameters.
 */
export interface DeploySettings {
  /** CloudFormation stack name. */
  stackName: string
  /** `Access-Control-Allow-Origin` of the HTTP API, e.g. `https://app.example.com`. */
  corsOrigin: string
  /** ACM certificate for the realtime load balancer; without one it listens on plain HTTP (ws://). */
  certificateArn: string | undefined
  /** NAT gateways (1 or 2): the private subnets reach AWS APIs and the container registry through them. */
  natGateways: number
  jwt: { issuer: string; audience: string; ttlSeconds: number }
  lambda: { memoryMiB: number; timeoutSeconds: number }
  rethinkdb: {
    /** Nodes in the cluster, at least 3. */
    nodes: number
    /** Replicas per table (at most `nodes`); the server creates tables with it. */
    replicas: number
    shards: number
    instanceType: string
    /** Size of each node's data volume (gp3), GiB. */
    volumeGiB: number
    /** Container image the nodes run, e.g. `rethinkdb:2.4`. */
    image: string
  }
  redis: {
    nodeType: string
    /** 1 is a single node; 2 or more adds replicas with automatic failover. */
    nodes: number
  }
  /** deepstream tasks behind the load balancer, at least 2. */
  realtime: { tasks: number; cpu: number; memoryMiB: number }
  /** Bridge tasks, at least 2; a Redis lease lets one publish at a time. */
  bridge: { tasks: number; cpu: number; memoryMiB: number }
}

/** Thrown when a context value is unusable; the message names the key. */
export class DeploySettingsError extends Error {
  override name = 'DeploySettingsError'
}

/** Reads one context value: `app.node.tryGetContext` in the app, a plain object in tests. */
export type ContextReader = (key: string) => unknown

function text(read: ContextReader, key: string, fallback: string): string {
  const value = read(key)
  if (value === undefined || value === null || value === '') return fallback
  if (typeof value !== 'string') throw new DeploySettingsError(`context ${key} must be a string, got ${JSON.stringify(value)}`)
  return value
}

function integer(read: ContextReader, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = read(key)
  // `-c key=value` always gives strings; cdk.json may give numbers.
  const value = raw === undefined || raw === null || raw === '' ? fallback : Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`
    throw new DeploySettingsError(`context ${key} must be an integer ${range}, got ${JSON.stringify(raw)}`)
  }
  return value
}

/**
 * Reads and checks the deploy settings, applying the floors the design
 * asks for: at least three RethinkDB nodes and two tasks of each service.
 *
 * @example
 * const settings = readSettings((key) => app.node.tryGetContext(key))
 */
export function readSettings(read: ContextReader): DeploySettings {
  const nodes = integer(read, 'rethinkdbNodes', 3, 3)
  const certificateArn = text(read, 'certificateArn', '') || undefined
  return {
    stackName: text(read, 'stackName', 'Rtkit'),
    corsOrigin: text(read, 'corsOrigin', '*'),
    certificateArn,
    natGateways: integer(read, 'natGateways', 1, 1, 2),
    jwt: {
      issuer: text(read, 'jwtIssuer', 'rtkit'),
      audience: text(read, 'jwtAudience', 'rtkit'),
      ttlSeconds: integer(read, 'jwtTtlSeconds', 3600, 60),
    },
    lambda: {
      memoryMiB: integer(read, 'lambdaMemoryMiB', 512, 128, 10240),
      timeoutSeconds: integer(read, 'lambdaTimeoutSeconds', 10, 1, 29),
    },
    rethinkdb: {
      nodes,
      replicas: integer(read, 'rethinkdbReplicas', 3, 1, nodes),
      shards: integer(read, 'rethinkdbShards', 1, 1, 64),
      instanceType: text(read, 'rethinkdbInstanceType', 't3.small'),
      volumeGiB: integer(read, 'rethinkdbVolumeGiB', 20, 1),
      image: text(read, 'rethinkdbImage', 'rethinkdb:2.4'),
    },
    redis: {
      nodeType: text(read, 'redisNodeType', 'cache.t4g.micro'),
      nodes: integer(read, 'redisNodes', 2, 1, 6),
    },
    realtime: {
      tasks: integer(read, 'realtimeTasks', 2, 2),
      cpu: integer(read, 'realtimeCpu', 256, 256),
      memoryMiB: integer(read, 'realtimeMemoryMiB', 512, 512),
    },
    bridge: {
      tasks: integer(read, 'bridgeTasks', 2, 2),
      cpu: integer(read, 'bridgeCpu', 256, 256),
      memoryMiB: integer(read, 'bridgeMemoryMiB', 512, 512),
    },
  }
}
