import { Token, type aws_ec2 as ec2, aws_elasticache as elasticache } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { Port } from './security-groups.ts'

/** Options of {@link RedisCache}. */
export interface RedisCacheProps {
  subnets: readonly ec2.ISubnet[]
  securityGroup: ec2.ISecurityGroup
  nodeType: string
  /** 1 is a single node; 2 or more adds replicas in other zones with automatic failover. */
  nodes: number
}

/**
 * ElastiCache Redis for the deepstream cluster bus and the bridge lease.
 * Encrypted in transit, so clients connect with `rediss://` (TLS).
 */
export class RedisCache extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup
  /** `rediss://<primary endpoint>:6379` for `RTKIT_REDIS_URL`. */
  readonly url: string

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id)
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'rtkit Redis: private subnets',
      subnetIds: props.subnets.map((subnet) => subnet.subnetId),
    })
    const failover = props.nodes > 1
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'rtkit: deepstream cluster bus and bridge lease',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: props.nodes,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [props.securityGroup.securityGroupId],
      port: Port.redis,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
    })
    const port = Token.asString(this.replicationGroup.attrPrimaryEndPointPort)
    this.url = `rediss://${this.replicationGroup.attrPrimaryEndPointAddress}:${port}`
  }
}
