import { aws_ec2 as ec2 } from 'aws-cdk-lib'
import { Construct } from 'constructs'

/** The ports the data flow uses. */
export const Port = {
  rethinkdbDriver: 28015,
  rethinkdbCluster: 29015,
  redis: 6379,
  /** deepstream's WebSocket port inside the tasks. */
  realtime: 6020,
  /** `GET /ready` and `GET /metrics` of a task without the API gateway (`RTKIT_OPS_PORT`): the load balancer's health check. */
  ops: 6021,
  http: 80,
  https: 443,
} as const

/** Options of {@link DataFlowSecurityGroups}. */
export interface DataFlowProps {
  vpc: ec2.IVpc
  /** Ports the public load balancer listens on (80, and 443 with a certificate). */
  publicPorts: readonly number[]
}

/**
 * Every security group and every rule between them, in one place, so the
 * allowed paths read as the data flow does (docs/architecture.md):
 *
 * ```
 * internet ─80/443─▶ load balancer ─6020─▶ deepstream ─6379─▶ Redis
 * Lambdas ─28015─▶ RethinkDB ◀─28015─ bridge ─6379─▶ Redis
 * RethinkDB ◀─29015─▶ RethinkDB           bridge ─6020─▶ deepstream
 * ```
 *
 * API Gateway reaches the Lambdas through the Lambda service, not the VPC,
 * so no rule admits it. No group accepts traffic from anywhere except the
 * load balancer's listeners. Outbound traffic is closed by default too; the
 * groups that call AWS APIs over NAT (Secrets Manager, the container
 * registry, logs, package and image downloads) may open HTTPS. (Security
 * groups never filter the VPC's DNS resolver or instance metadata.)
 */
export class DataFlowSecurityGroups extends Construct {
  readonly loadBalancer: ec2.SecurityGroup
  readonly realtime: ec2.SecurityGroup
  readonly bridge: ec2.SecurityGroup
  readonly lambdas: ec2.SecurityGroup
  readonly redis: ec2.SecurityGroup
  readonly rethinkdb: ec2.SecurityGroup

  constructor(scope: Construct, id: string, props: DataFlowProps) {
    super(scope, id)
    const group = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc: props.vpc, description, allowAllOutbound: false })
    this.loadBalancer = group('LoadBalancer', 'rtkit realtime load balancer: WebSocket clients in')
    this.realtime = group('Realtime', 'rtkit deepstream tasks')
    this.bridge = group('Bridge', 'rtkit bridge tasks: changefeeds to deepstream events')
    this.lambdas = group('Lambdas', 'rtkit HTTP API handlers')
    this.redis = group('Redis', 'rtkit Redis: deepstream cluster bus and the bridge lease')
    this.rethinkdb = group('Rethinkdb', 'rtkit RethinkDB cluster nodes')

    for (const port of props.publicPorts) {
      this.loadBalancer.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `clients on ${port}`)
    }
    allow(this.loadBalancer, this.realtime, Port.realtime, 'load balancer to deepstream')
    allow(this.loadBalancer, this.realtime, Port.ops, 'load balancer checks /ready')
    allow(this.bridge, this.realtime, Port.realtime, 'bridge publishes to deepstream')
    allow(this.realtime, this.redis, Port.redis, 'deepstream cluster bus')
    allow(this.bridge, this.redis, Port.redis, 'bridge lease')
    allow(this.lambdas, this.rethinkdb, Port.rethinkdbDriver, 'handlers query')
    allow(this.bridge, this.rethinkdb, Port.rethinkdbDriver, 'bridge follows changefeeds')
    allow(this.rethinkdb, this.rethinkdb, Port.rethinkdbCluster, 'RethinkDB cluster traffic')

    // HTTPS over NAT: Secrets Manager (Lambdas, at cold start); the
    // container registry, logs and Secrets Manager (ECS tasks); Systems
    // Manager, the distribution's package repositories and the RethinkDB
    // image (RethinkDB nodes). Redis and the load balancer call nothing.
    for (const caller of [this.lambdas, this.realtime, this.bridge, this.rethinkdb]) {
      caller.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(Port.https), 'AWS APIs and image pulls over NAT')
    }
  }
}

/** One path: `from` may open connections to `to` on `port` (an ingress rule on `to`, an egress rule on `from`). */
function allow(from: ec2.SecurityGroup, to: ec2.SecurityGroup, port: number, description: string): void {
  to.addIngressRule(from, ec2.Port.tcp(port), description)
  from.addEgressRule(to, ec2.Port.tcp(port), description)
}
