import { CfnParameter, Duration, aws_ec2 as ec2, aws_servicediscovery as servicediscovery } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { INTERNAL_DOMAIN } from './network.ts'
import { rethinkdbNodeCommands } from './rethinkdb-node-script.ts'
import { Port } from './security-groups.ts'

/** Options of {@link RethinkDbCluster}. */
export interface RethinkDbClusterProps {
  vpc: ec2.IVpc
  /** Subnets to spread the nodes over, round robin. */
  subnets: readonly ec2.ISubnet[]
  securityGroup: ec2.ISecurityGroup
  namespace: servicediscovery.PrivateDnsNamespace
  /** At least 3. */
  nodes: number
  instanceType: string
  volumeGiB: number
  /** Container image RethinkDB runs from. */
  image: string
  /** Database name in the server's URL. */
  db: string
}

/** Where a node's data volume is mapped. */
const DATA_DEVICE = '/dev/sdf'

/**
 * A RethinkDB cluster of EC2 instances, one node each, with an encrypted
 * gp3 data volume that outlives the instance (`deleteOnTermination: false`).
 * Each node gets a stable DNS name, `db-<n>.rtkit.internal`, which is what
 * the nodes join and what {@link url} lists, so a node's address never has
 * to be known at synth time.
 *
 * The AMI is a stack parameter (`RethinkDbImageId`, an Amazon Linux 2023
 * image) rather than the "latest" SSM alias: CloudFormation would resolve an
 * alias again on every deploy and replace all nodes at once when a new image
 * appears. `cdk deploy` keeps the previous value, so the image changes only
 * when an operator passes a new one.
 *
 * A replaced node (a lost instance, terminated and redeployed) starts on a
 * new, empty volume under the same name and rejoins by name; its old volume
 * stays behind, and RethinkDB lists the old server as disconnected until
 * the tables are reconfigured (`r.db('rtkit').table(t).reconfigure({
 * shards, replicas })`), which copies the replicas to the new server. A new
 * image would replace every node in one update: patch nodes in place.
 */
export class RethinkDbCluster extends Construct {
  readonly instances: ec2.Instance[] = []
  /** `db-0.rtkit.internal`, … */
  readonly hosts: string[]
  /** `rethinkdb://db-0.rtkit.internal:28015,…/<db>` for `RTKIT_RETHINKDB_URL`. */
  readonly url: string

  constructor(scope: Construct, id: string, props: RethinkDbClusterProps) {
    super(scope, id)
    if (props.nodes < 3) throw new Error(`a RethinkDB cluster needs at least 3 nodes, got ${props.nodes}`)
    const imageId = new CfnParameter(this, 'ImageId', {
      type: 'AWS::EC2::Image::Id',
      description: 'Amazon Linux 2023 AMI (x86_64) of the RethinkDB nodes; see README "Deploying to AWS"',
    })
    // Keep the parameter's name short and stable for `--parameters RethinkDbImageId=…`.
    imageId.overrideLogicalId('RethinkDbImageId')
    const machineImage: ec2.IMachineImage = {
      getImage: () => ({ imageId: imageId.valueAsString, osType: ec2.OperatingSystemType.LINUX, userData: ec2.UserData.forLinux() }),
    }

    const names = Array.from({ length: props.nodes }, (_, n) => `db-${n}`)
    this.hosts = names.map((name) => `${name}.${INTERNAL_DOMAIN}`)
    this.url = `rethinkdb://${this.hosts.map((host) => `${host}:${Port.rethinkdbDriver}`).join(',')}/${props.db}`

    names.forEach((name, n) => {
      const userData = ec2.UserData.forLinux()
      userData.addCommands(
        ...rethinkdbNodeCommands({
          serverName: name.replace('-', '_'),
          peers: this.hosts.filter((_, other) => other !== n),
          image: props.image,
          dataDevice: DATA_DEVICE,
        }),
      )
      const instance = new ec2.Instance(this, `Node${n}`, {
        vpc: props.vpc,
        vpcSubnets: { subnets: [props.subnets[n % props.subnets.length]!] },
        instanceType: new ec2.InstanceType(props.instanceType),
        machineImage,
        userData,
        securityGroup: props.securityGroup,
        instanceName: `rtkit-rethinkdb-${n}`,
        requireImdsv2: true,
        // Operators reach a node with Session Manager; no SSH, no key pair.
        ssmSessionPermissions: true,
        blockDevices: [
          {
            deviceName: DATA_DEVICE,
            volume: ec2.BlockDeviceVolume.ebs(props.volumeGiB, {
              volumeType: ec2.EbsDeviceVolumeType.GP3,
              encrypted: true,
              deleteOnTermination: false,
            }),
          },
        ],
      })
      this.instances.push(instance)
      const service = props.namespace.createService(`Name${n}`, {
        name,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        dnsTtl: Duration.seconds(10),
        description: `RethinkDB node ${n}`,
      })
      service.registerIpInstance('Address', { ipv4: instance.instancePrivateIp })
    })
  }
}
