import { aws_ec2 as ec2, aws_servicediscovery as servicediscovery } from 'aws-cdk-lib'
import { Construct } from 'constructs'

/** The private DNS zone the parts find each other in: `db-0.rtkit.internal`, `realtime.rtkit.internal`. */
export const INTERNAL_DOMAIN = 'rtkit.internal'

/** Options of {@link Network}. */
export interface NetworkProps {
  /** 1 saves about a NAT gateway's hourly price; 2 keeps egress up when one zone fails. */
  natGateways: number
}

/**
 * The VPC (the seed's "utilities subnetwork"): public subnets hold only the
 * realtime load balancer and the NAT gateways; the Lambdas, the RethinkDB
 * nodes, Redis and the ECS tasks sit in the private subnets, which reach AWS
 * APIs (Secrets Manager, the container registry, logs) through NAT.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc
  /** Private DNS namespace {@link INTERNAL_DOMAIN} (Cloud Map), so addresses never enter the template. */
  readonly namespace: servicediscovery.PrivateDnsNamespace

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id)
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      // An environment-agnostic stack gets two zones (Fn::GetAZs), which
      // keeps `npm run synth` free of AWS lookups.
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    })
    this.namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: INTERNAL_DOMAIN,
      vpc: this.vpc,
      description: 'rtkit parts: RethinkDB nodes and deepstream tasks',
    })
  }

  /** The private subnets every workload runs in. */
  get privateSubnets(): ec2.ISubnet[] {
    return this.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets
  }
}
