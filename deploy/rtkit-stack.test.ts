import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { cleanUp, referenced, resourcesOf, synthesise, type Resource, type Synthesised } from './testing/synth.ts'

/** A container definition's variables as an object (values may be tokens). */
function environmentOf(container: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries((container.Environment ?? []).map((entry: { Name: string; Value: unknown }) => [entry.Name, entry.Value]))
}

/** The ECS services by the role their container runs (`RTKIT_ROLE`). */
function servicesByRole(synth: Synthesised): Map<string, { service: Resource; container: Record<string, any> }> {
  const tasks = resourcesOf(synth.template, 'AWS::ECS::TaskDefinition')
  return new Map(
    Object.values(resourcesOf(synth.template, 'AWS::ECS::Service')).map((service) => {
      const container = tasks[referenced(service.Properties.TaskDefinition)!]!.Properties.ContainerDefinitions[0]
      return [String(environmentOf(container).RTKIT_ROLE), { service, container }]
    }),
  )
}

/** The first-boot script of each RethinkDB node. */
function userDataOf(synth: Synthesised): string[] {
  return Object.values(resourcesOf(synth.template, 'AWS::EC2::Instance')).map((instance) =>
    String(instance.Properties.UserData['Fn::Base64']),
  )
}

describe('the rtkit stack', () => {
  // A value a developer might have in their shell: synthesis must not carry it into the template.
  const localSecret = `local-${randomBytes(24).toString('hex')}`
  let synth: Synthesised
  let five: Synthesised

  before(async () => {
    process.env.RTKIT_JWT_SECRET = localSecret
    // The default synthesis runs CloudFormation's offline rules, as `cdk synth` does.
    synth = await synthesise({}, { validate: true })
    five = await synthesise({ rethinkdbNodes: '5', realtimeTasks: '3', bridgeTasks: '3' })
  })
  after(() => {
    delete process.env.RTKIT_JWT_SECRET
    cleanUp()
  })

  it('passes CloudFormation validation with no finding', () => {
    const report = JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ violations?: unknown[] }>
    }
    assert.deepEqual(
      report.pluginReports.flatMap((plugin) => plugin.violations ?? []),
      [],
    )
  })

  describe('deepstream and the bridge', () => {
    it('run deepstream as at least two Fargate tasks behind the load balancer, checked on /ready', () => {
      // Prepare
      const realtime = servicesByRole(synth).get('realtime')
      const groups = resourcesOf(synth.template, 'AWS::ElasticLoadBalancingV2::TargetGroup')
      // Act
      const [attachment] = realtime?.service.Properties.LoadBalancers ?? []
      const targets = groups[referenced(attachment?.TargetGroupArn)!]
      // Assess
      assert.ok(realtime, 'no service runs RTKIT_ROLE=realtime')
      assert.equal(realtime.service.Properties.LaunchType, 'FARGATE')
      assert.ok(realtime.service.Properties.DesiredCount >= 2)
      assert.equal(attachment.ContainerPort, 6020)
      assert.equal(targets?.Properties.HealthCheckPath, '/ready')
      // On the task's operations port, which the task serves and the load balancer may reach.
      assert.equal(targets?.Properties.HealthCheckPort, '6021')
      assert.equal(environmentOf(realtime.container).RTKIT_OPS_PORT, '6021')
      assert.ok(realtime.container.PortMappings.some((mapping: { ContainerPort: number }) => mapping.ContainerPort === 6021))
      assert.equal(environmentOf(realtime.container).RTKIT_REALTIME_PATH, '/deepstream')
      assert.equal(Object.keys(resourcesOf(synth.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).length, 1)
    })

    it('run the bridge as at least two Fargate tasks, publishing to deepstream by its private name', () => {
      const bridge = servicesByRole(synth).get('bridge')
      assert.ok(bridge, 'no service runs RTKIT_ROLE=bridge')
      assert.equal(bridge.service.Properties.LaunchType, 'FARGATE')
      assert.ok(bridge.service.Properties.DesiredCount >= 2)
      assert.deepEqual(bridge.service.Properties.LoadBalancers, [])
      assert.equal(environmentOf(bridge.container).RTKIT_REALTIME_URL, 'ws://realtime.rtkit.internal:6020/deepstream')
    })

    it('take their task counts from the context', () => {
      const services = servicesByRole(five)
      assert.equal(services.get('realtime')?.service.Properties.DesiredCount, 3)
      assert.equal(services.get('bridge')?.service.Properties.DesiredCount, 3)
    })

    it('run one image and reach Redis at its primary endpoint over TLS', () => {
      const services = [...servicesByRole(synth).values()]
      const [group] = Object.keys(resourcesOf(synth.template, 'AWS::ElastiCache::ReplicationGroup'))
      assert.equal(new Set(services.map(({ container }) => JSON.stringify(container.Image))).size, 1)
      for (const { container } of services) {
        const [, parts] = (environmentOf(container).RTKIT_REDIS_URL as { 'Fn::Join': [string, unknown[]] })['Fn::Join']
        assert.equal(parts[0], 'rediss://')
        assert.deepEqual(parts[1], { 'Fn::GetAtt': [group, 'PrimaryEndPoint.Address'] })
      }
    })
  })

  it('has one encrypted Redis replication group with failover, in the private subnets', () => {
    // Prepare
    const groups = Object.values(resourcesOf(synth.template, 'AWS::ElastiCache::ReplicationGroup'))
    const subnetGroups = resourcesOf(synth.template, 'AWS::ElastiCache::SubnetGroup')
    const privateSubnets = synth.stack.network.privateSubnets.map((subnet) => synth.logicalId(subnet)).sort()
    // Assess
    assert.equal(groups.length, 1)
    const redis = groups[0]!.Properties
    assert.equal(redis.Engine, 'redis')
    assert.equal(redis.NumCacheClusters, 2)
    assert.equal(redis.AutomaticFailoverEnabled, true)
    assert.equal(redis.TransitEncryptionEnabled, true)
    assert.equal(redis.AtRestEncryptionEnabled, true)
    assert.deepEqual(subnetGroups[referenced(redis.CacheSubnetGroupName)!]!.Properties.SubnetIds.map(referenced).sort(), privateSubnets)
  })

  describe('the Redis AUTH token', () => {
    it('is required by Redis and generated by Secrets Manager at deploy time: the template holds only a reference', () => {
      // Prepare
      const [group] = Object.values(resourcesOf(synth.template, 'AWS::ElastiCache::ReplicationGroup'))
      const token = synth.logicalId(synth.stack.redis.authToken)
      const secret = resourcesOf(synth.template, 'AWS::SecretsManager::Secret')[token]
      // Act
      const [separator, parts] = (group!.Properties.AuthToken as { 'Fn::Join': [string, unknown[]] })['Fn::Join']
      // Assess
      assert.equal(separator, '')
      assert.deepEqual(parts, ['{{resolve:secretsmanager:', { Ref: token }, ':SecretString:::}}'])
      assert.equal(secret?.Properties.SecretString, undefined)
      assert.equal(secret?.Properties.GenerateSecretString.ExcludePunctuation, true, 'ElastiCache refuses @, " and / in a token')
      assert.equal(secret?.Properties.GenerateSecretString.PasswordLength, 64)
    })

    it('reaches deepstream and the bridge through ECS secrets, never as a plain variable, and no Lambda', () => {
      const token = synth.logicalId(synth.stack.redis.authToken)
      for (const [role, { container }] of servicesByRole(synth)) {
        const secrets = container.Secrets as Array<{ Name: string; ValueFrom: unknown }>
        assert.deepEqual(
          secrets.find((entry) => entry.Name === 'RTKIT_REDIS_PASSWORD'),
          { Name: 'RTKIT_REDIS_PASSWORD', ValueFrom: { Ref: token } },
          role,
        )
        assert.equal(environmentOf(container).RTKIT_REDIS_PASSWORD, undefined, role)
      }
      for (const fn of Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'))) {
        assert.ok(!JSON.stringify(fn.Properties).includes(token), 'the Lambdas never reach Redis')
      }
    })
  })

  describe('the RethinkDB cluster', () => {
    it('has three nodes by default, each with a data volume that outlives it, in a private subnet', () => {
      const privateSubnets = new Set(synth.stack.network.privateSubnets.map((subnet) => synth.logicalId(subnet)))
      const instances = Object.values(resourcesOf(synth.template, 'AWS::EC2::Instance'))
      assert.equal(instances.length, 3)
      for (const instance of instances) {
        assert.ok(privateSubnets.has(referenced(instance.Properties.SubnetId)!))
        assert.deepEqual(instance.Properties.BlockDeviceMappings, [
          { DeviceName: '/dev/sdf', Ebs: { DeleteOnTermination: false, Encrypted: true, VolumeSize: 20, VolumeType: 'gp3' } },
        ])
      }
    })

    it('grows with the context, and every node joins all the others and never itself', () => {
      for (const [cluster, nodes] of [
        [synth, 3],
        [five, 5],
      ] as const) {
        const scripts = userDataOf(cluster)
        assert.equal(scripts.length, nodes)
        scripts.forEach((script, n) => {
          const joins = [...script.matchAll(/--join (db-\d+)\.rtkit\.internal:29015/g)].map((match) => match[1]).sort()
          const others = Array.from({ length: nodes }, (_, other) => `db-${other}`).filter((name) => name !== `db-${n}`)
          assert.match(script, new RegExp(`--server-name db_${n} `))
          assert.deepEqual(joins, others)
        })
      }
    })

    it('gives every node a private DNS name, which the server URL lists, with three replicas', () => {
      const names = Object.values(resourcesOf(five.template, 'AWS::ServiceDiscovery::Service'))
        .map((service) => service.Properties.Name)
        .sort()
      const [fn] = Object.values(resourcesOf(five.template, 'AWS::Lambda::Function')).filter((candidate) => candidate.Properties.VpcConfig)
      const env = fn!.Properties.Environment.Variables
      assert.deepEqual(names, ['db-0', 'db-1', 'db-2', 'db-3', 'db-4', 'realtime'])
      assert.equal(env.RTKIT_RETHINKDB_URL, `rethinkdb://${[0, 1, 2, 3, 4].map((n) => `db-${n}.rtkit.internal:28015`).join(',')}/rtkit`)
      assert.equal(env.RTKIT_RETHINKDB_REPLICAS, '3')
    })
  })

  describe('the JWT secret', () => {
    it('is generated by Secrets Manager at deploy time: the template holds no value', () => {
      const secret = resourcesOf(synth.template, 'AWS::SecretsManager::Secret')[synth.logicalId(synth.stack.jwtSecret)]
      assert.equal(secret?.Properties.SecretString, undefined)
      assert.equal(secret?.Properties.GenerateSecretString.PasswordLength, 64)
    })

    it('never carries a secret from the synthesising shell into the template', () => {
      assert.equal(process.env.RTKIT_JWT_SECRET, localSecret)
      assert.ok(!synth.text.includes(localSecret))
    })

    it('reaches the containers through ECS secrets and the Lambdas by ARN, never as a plain variable', () => {
      const secret = synth.logicalId(synth.stack.jwtSecret)
      for (const [role, { container }] of servicesByRole(synth)) {
        assert.deepEqual(
          container.Secrets.find((entry: { Name: string }) => entry.Name === 'RTKIT_JWT_SECRET'),
          { Name: 'RTKIT_JWT_SECRET', ValueFrom: { Ref: secret } },
          role,
        )
        assert.equal(environmentOf(container).RTKIT_JWT_SECRET, undefined, role)
      }
      const functions = Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function')).filter((fn) => fn.Properties.VpcConfig)
      for (const fn of functions) {
        assert.equal(fn.Properties.Environment.Variables.RTKIT_JWT_SECRET, undefined)
        assert.deepEqual(fn.Properties.Environment.Variables.RTKIT_JWT_SECRET_ARN, { Ref: secret })
      }
    })

    it('may be read by every handler role', () => {
      const functions = Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function')).filter((fn) => fn.Properties.VpcConfig)
      const policies = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
      const secret = synth.logicalId(synth.stack.jwtSecret)
      for (const fn of functions) {
        const role = referenced(fn.Properties.Role)
        const grants = policies
          .filter((policy) => policy.Properties.Roles.some((attached: unknown) => referenced(attached) === role))
          .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
          .filter((statement) => referenced(statement.Resource) === secret)
        assert.ok(
          grants.some((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue')),
          `role ${role}`,
        )
      }
    })
  })
})
