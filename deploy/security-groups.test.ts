import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { cleanUp, referenced, resourcesOf, synthesise, type Synthesised } from './testing/synth.ts'

/** Security group logical id → the name the expectations use. */
function groupNames(synth: Synthesised): Map<string, string> {
  const groups = synth.stack.securityGroups
  return new Map(
    (['loadBalancer', 'realtime', 'bridge', 'lambdas', 'redis', 'rethinkdb'] as const).map((name) => [synth.logicalId(groups[name]), name]),
  )
}

/**
 * Every rule of the template as `to <- from port` (ingress) or
 * `from -> to port` (egress), whether CDK wrote it inline in the group or as
 * a separate resource, with groups by name and CIDRs as they are.
 */
function rules(synth: Synthesised): { ingress: string[]; egress: string[] } {
  const names = groupNames(synth)
  const name = (value: unknown) => names.get(referenced(value) ?? '') ?? `unknown ${JSON.stringify(value)}`
  const port = (rule: Record<string, unknown>) =>
    `${rule.IpProtocol}/${rule.FromPort === rule.ToPort ? rule.FromPort : `${rule.FromPort}-${rule.ToPort}`}`
  const ingress: string[] = []
  const egress: string[] = []
  for (const [id, group] of Object.entries(resourcesOf(synth.template, 'AWS::EC2::SecurityGroup'))) {
    const self = names.get(id) ?? `unknown group ${id}`
    for (const rule of group.Properties.SecurityGroupIngress ?? []) ingress.push(`${self} <- ${rule.CidrIp ?? rule.CidrIpv6} ${port(rule)}`)
    for (const rule of group.Properties.SecurityGroupEgress ?? []) {
      // CDK's placeholder for "no egress at all" matches no address.
      if (rule.CidrIp === '255.255.255.255/32') continue
      egress.push(`${self} -> ${rule.CidrIp ?? rule.CidrIpv6} ${port(rule)}`)
    }
  }
  for (const rule of Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroupIngress'))) {
    const from = rule.Properties.SourceSecurityGroupId ? name(rule.Properties.SourceSecurityGroupId) : rule.Properties.CidrIp
    ingress.push(`${name(rule.Properties.GroupId)} <- ${from} ${port(rule.Properties)}`)
  }
  for (const rule of Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroupEgress'))) {
    const to = rule.Properties.DestinationSecurityGroupId ? name(rule.Properties.DestinationSecurityGroupId) : rule.Properties.CidrIp
    egress.push(`${name(rule.Properties.GroupId)} -> ${to} ${port(rule.Properties)}`)
  }
  return { ingress: ingress.sort(), egress: egress.sort() }
}

// The data flow, written out by hand: this is the specification the
// template is checked against, not something computed from the code.
const DATA_FLOW_INGRESS = [
  'realtime <- loadBalancer tcp/6020',
  'realtime <- loadBalancer tcp/6021',
  'realtime <- bridge tcp/6020',
  'redis <- realtime tcp/6379',
  'redis <- bridge tcp/6379',
  'rethinkdb <- lambdas tcp/28015',
  'rethinkdb <- bridge tcp/28015',
  'rethinkdb <- rethinkdb tcp/29015',
]
const DATA_FLOW_EGRESS = [
  'loadBalancer -> realtime tcp/6020',
  'loadBalancer -> realtime tcp/6021',
  'bridge -> realtime tcp/6020',
  'realtime -> redis tcp/6379',
  'bridge -> redis tcp/6379',
  'lambdas -> rethinkdb tcp/28015',
  'bridge -> rethinkdb tcp/28015',
  'rethinkdb -> rethinkdb tcp/29015',
  // HTTPS over NAT to AWS APIs, the container registry and image pulls.
  'lambdas -> 0.0.0.0/0 tcp/443',
  'realtime -> 0.0.0.0/0 tcp/443',
  'bridge -> 0.0.0.0/0 tcp/443',
  'rethinkdb -> 0.0.0.0/0 tcp/443',
]

describe('security groups', () => {
  let plain: Synthesised
  let tls: Synthesised

  before(async () => {
    plain = await synthesise()
    tls = await synthesise({ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' })
  })
  after(cleanUp)

  describe('without a certificate', () => {
    it('admits exactly the data-flow paths, and the internet only to the load balancer on 80', () => {
      // Act
      const { ingress } = rules(plain)
      // Assess
      assert.deepEqual(ingress, [...DATA_FLOW_INGRESS, 'loadBalancer <- 0.0.0.0/0 tcp/80'].sort())
    })

    it('lets out exactly the data-flow paths and HTTPS', () => {
      assert.deepEqual(rules(plain).egress, [...DATA_FLOW_EGRESS].sort())
    })
  })

  describe('with a certificate', () => {
    it('adds 443 to the load balancer and nothing else', () => {
      assert.deepEqual(
        rules(tls).ingress,
        [...DATA_FLOW_INGRESS, 'loadBalancer <- 0.0.0.0/0 tcp/80', 'loadBalancer <- 0.0.0.0/0 tcp/443'].sort(),
      )
    })

    it('serves WebSocket clients on 443 and redirects 80 there', () => {
      const listeners = Object.values(resourcesOf(tls.template, 'AWS::ElasticLoadBalancingV2::Listener'))
      const byPort = new Map(listeners.map((listener) => [listener.Properties.Port, listener.Properties]))
      assert.equal(byPort.get(443)?.Protocol, 'HTTPS')
      assert.equal(byPort.get(443)?.DefaultActions[0].Type, 'forward')
      assert.equal(byPort.get(80)?.DefaultActions[0].Type, 'redirect')
      assert.equal(byPort.get(80)?.DefaultActions[0].RedirectConfig.Port, '443')
    })
  })

  it('has no group besides the six, and every workload wears its own', () => {
    // Prepare
    const names = groupNames(plain)
    const worn = (type: string, read: (properties: Record<string, any>) => unknown[]) =>
      Object.values(resourcesOf(plain.template, type)).map((resource) =>
        read(resource.Properties).map((id) => names.get(referenced(id) ?? '')),
      )
    const services = Object.values(resourcesOf(plain.template, 'AWS::ECS::Service'))
    // Act / Assess
    assert.deepEqual(Object.keys(resourcesOf(plain.template, 'AWS::EC2::SecurityGroup')).sort(), [...names.keys()].sort())
    assert.deepEqual(
      worn('AWS::ElasticLoadBalancingV2::LoadBalancer', (p) => p.SecurityGroups),
      [['loadBalancer']],
    )
    assert.deepEqual(
      worn('AWS::ElastiCache::ReplicationGroup', (p) => p.SecurityGroupIds),
      [['redis']],
    )
    assert.deepEqual(
      worn('AWS::EC2::Instance', (p) => p.SecurityGroupIds),
      [['rethinkdb'], ['rethinkdb'], ['rethinkdb']],
    )
    const lambdas = Object.values(resourcesOf(plain.template, 'AWS::Lambda::Function')).filter((fn) => fn.Properties.VpcConfig)
    assert.ok(lambdas.length > 0)
    for (const fn of lambdas)
      assert.deepEqual(
        fn.Properties.VpcConfig.SecurityGroupIds.map((id: unknown) => names.get(referenced(id) ?? '')),
        ['lambdas'],
      )
    const serviceGroups = services
      .map((service) =>
        service.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.map((id: unknown) => names.get(referenced(id) ?? '')),
      )
      .sort()
    assert.deepEqual(serviceGroups, [['bridge'], ['realtime']])
    for (const service of services) assert.equal(service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, 'DISABLED')
  })
})
