import { Port } from './security-groups.ts'

/** What one RethinkDB node's first boot needs to know. */
export interface RethinkDbNodeScriptProps {
  /** RethinkDB server name (letters, digits, underscores), e.g. `db_0`. */
  serverName: string
  /** DNS names of the other nodes; the node joins every one of them. */
  peers: readonly string[]
  /** Container image, e.g. `rethinkdb:2.4`. */
  image: string
  /** Block device of the data volume as mapped on the instance. */
  dataDevice: string
}

/**
 * The first-boot commands of a RethinkDB node on Amazon Linux 2023: format
 * and mount the data volume once, then run RethinkDB in Docker (the
 * official image; the distribution has no RethinkDB package) with
 * `--restart always`, so it also comes back after a reboot.
 *
 * Every node joins every other by name, so no node depends on another's
 * address in the template and any node may start first: RethinkDB keeps
 * retrying a join until the peer answers, and remembers its peers in its
 * data directory. The web console stays on loopback (reach it with a
 * Session Manager port forward); driver and cluster ports bind the VPC
 * address, where the security groups decide who connects.
 */
export function rethinkdbNodeCommands(props: RethinkDbNodeScriptProps): string[] {
  const joins = props.peers.map((peer) => `--join ${peer}:${Port.rethinkdbCluster}`).join(' ')
  const waitForPeers = props.peers.map((peer) => `getent hosts ${peer} >/dev/null`).join(' && ')
  return [
    'set -euo pipefail',
    'dnf install -y docker',
    'systemctl enable --now docker',
    // On Nitro instances the volume shows up as an NVMe device; Amazon Linux
    // links the mapped name to it once the kernel has seen it.
    `for attempt in $(seq 1 60); do [ -e ${props.dataDevice} ] && break; sleep 2; done`,
    // Format only an empty volume: a volume that already holds data (a
    // replaced instance given the old volume) keeps it.
    `blkid ${props.dataDevice} || mkfs -t xfs ${props.dataDevice}`,
    'mkdir -p /var/lib/rethinkdb',
    `echo "UUID=$(blkid -s UUID -o value ${props.dataDevice}) /var/lib/rethinkdb xfs defaults,nofail 0 2" >> /etc/fstab`,
    'mount -a',
    // The node announces its VPC address to its peers (not Docker's bridge address).
    "IMDS_TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
    'ADDRESS=$(curl -sS -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" http://169.254.169.254/latest/meta-data/local-ipv4)',
    // Peers register their names as they come up; wait up to five minutes,
    // then start anyway (RethinkDB retries the joins).
    `for attempt in $(seq 1 60); do ${waitForPeers} && break; sleep 5; done`,
    [
      'docker run -d --name rethinkdb --restart always --network host',
      `-v /var/lib/rethinkdb:/data ${props.image}`,
      `rethinkdb --directory /data/rtkit --server-name ${props.serverName}`,
      '--canonical-address "$ADDRESS" --bind-driver all --bind-cluster all',
      `--driver-port ${Port.rethinkdbDriver} --cluster-port ${Port.rethinkdbCluster}`,
      joins,
    ].join(' '),
  ]
}
