import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { buildLambdas } from '../scripts/build-lambdas.ts'
import { handlerModules, routeTable } from '../server/routes.ts'
import { parseRouteKey } from './http-api.ts'
import { declaredFunctions, missingBundles } from './lambda-bundles.ts'
import { cleanUp, referenced, resourcesOf, synthesise, type Resource, type Synthesised } from './testing/synth.ts'

describe('the HTTP API and its Lambdas', () => {
  let synth: Synthesised
  let functions: Record<string, Resource>
  let ours: Array<[string, Resource]>

  before(async () => {
    synth = await synthesise({ corsOrigin: 'https://app.example.com' })
    functions = resourcesOf(synth.template, 'AWS::Lambda::Function')
    // CDK adds one helper function of its own (it locks the VPC's default
    // security group); ours are the ones whose handler is a route handler.
    ours = Object.entries(functions).filter(
      ([, fn]) => String(fn.Properties.Handler).endsWith('.handler') && fn.Properties.Description?.startsWith('rtkit handler'),
    )
  })
  after(cleanUp)

  it('has exactly the route keys of server/routes.ts', () => {
    // Prepare
    const routes = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route'))
    // Act
    const keys = routes.map((route) => route.Properties.RouteKey as string).sort()
    // Assess
    assert.deepEqual(keys, routeTable.map((entry) => entry.routeKey).sort())
  })

  it('sends each route to the function of the handler the route table names', () => {
    const integrations = resourcesOf(synth.template, 'AWS::ApiGatewayV2::Integration')
    const served = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
      // Target is "integrations/<integration id>", joined from a Ref.
      const [, parts] = route.Properties.Target['Fn::Join'] as [string, unknown[]]
      const integration = integrations[referenced(parts[1])!]!
      assert.equal(integration.Properties.PayloadFormatVersion, '2.0')
      const fn = functions[referenced(integration.Properties.IntegrationUri)!]!
      return { routeKey: route.Properties.RouteKey, handler: String(fn.Properties.Handler).replace(/\.handler$/, '') }
    })
    const byKey = (a: { routeKey: string }, b: { routeKey: string }) => a.routeKey.localeCompare(b.routeKey)
    assert.deepEqual(served.sort(byKey), [...routeTable].map((entry) => ({ routeKey: entry.routeKey, handler: entry.handler })).sort(byKey))
  })

  it('has one function per handler module', () => {
    const handlers = ours.map(([, fn]) => String(fn.Properties.Handler).replace(/\.handler$/, '')).sort()
    assert.deepEqual(handlers, Object.keys(handlerModules).sort())
  })

  it('runs every function, CDK helpers included, on nodejs22.x or later', () => {
    for (const [id, fn] of Object.entries(functions)) {
      const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1])
      assert.ok(major >= 22, `${id} runs on ${fn.Properties.Runtime}`)
    }
  })

  it('puts every handler in the private subnets with the Lambda security group', () => {
    const privateSubnets = synth.stack.network.privateSubnets.map((subnet) => synth.logicalId(subnet)).sort()
    const lambdaGroup = synth.logicalId(synth.stack.securityGroups.lambdas)
    for (const [id, fn] of ours) {
      const vpc = fn.Properties.VpcConfig
      assert.ok(vpc, `${id} has no VpcConfig`)
      assert.deepEqual(vpc.SubnetIds.map(referenced).sort(), privateSubnets, id)
      assert.deepEqual(vpc.SecurityGroupIds.map(referenced), [lambdaGroup], id)
    }
  })

  it('configures the handlers with the README variables, the secret by ARN only', () => {
    const secret = synth.logicalId(synth.stack.jwtSecret)
    for (const [id, fn] of ours) {
      const env = fn.Properties.Environment.Variables as Record<string, unknown>
      assert.equal(env.RTKIT_ENV, 'production', id)
      assert.equal(env.RTKIT_CORS_ORIGIN, 'https://app.example.com', id)
      assert.match(
        String(env.RTKIT_RETHINKDB_URL),
        /^rethinkdb:\/\/db-0\.rtkit\.internal:28015,db-1\.rtkit\.internal:28015,db-2\.rtkit\.internal:28015\/rtkit$/,
        id,
      )
      assert.equal(referenced(env.RTKIT_JWT_SECRET_ARN), secret, id)
      assert.equal(env.RTKIT_JWT_SECRET, undefined, id)
    }
  })

  it('takes CORS from the context value', () => {
    const [api] = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Api'))
    assert.deepEqual(api!.Properties.CorsConfiguration.AllowOrigins, ['https://app.example.com'])
    assert.deepEqual(api!.Properties.CorsConfiguration.AllowHeaders, ['authorization', 'content-type', 'idempotency-key'])
  })

  describe("the operator's functions", () => {
    const root = new URL('..', import.meta.url).pathname
    const dir = mkdtempSync(join(tmpdir(), 'rtkit-function-bundles-'))
    let synth: Synthesised

    before(async () => {
      // Prepare: bundles built with a config that declares two functions.
      const config = join(dir, 'rtkit.config.mjs')
      writeFileSync(
        config,
        `import { defineConfig, defineFunction, tasks, text } from 'rtkit-server/config'\n` +
          `const input = text({ max: 10 })\n` +
          `export default defineConfig({ collections: [tasks], functions: [defineFunction({ name: 'close-poll', input, handler: () => 1 }), defineFunction({ name: 'tally_up', input, handler: () => 2 })] })\n`,
      )
      await buildLambdas(root, join(dir, 'lambdas'), config)
      synth = await synthesise({}, { lambdaBundleDir: join(dir, 'lambdas') })
    })
    after(() => rmSync(dir, { recursive: true, force: true }))

    it('names them beside the bundles', () => {
      assert.deepEqual(declaredFunctions(join(dir, 'lambdas')), ['close-poll', 'tally_up'])
    })

    it('gives each function a Lambda of its own on a route of its own, besides the route table', () => {
      // Act
      const functions = resourcesOf(synth.template, 'AWS::Lambda::Function')
      const integrations = resourcesOf(synth.template, 'AWS::ApiGatewayV2::Integration')
      const served = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
        const [, parts] = route.Properties.Target['Fn::Join'] as [string, unknown[]]
        const fn = functions[referenced(integrations[referenced(parts[1])!]!.Properties.IntegrationUri)!]!
        return [
          route.Properties.RouteKey as string,
          fn.Properties.Description as string,
          fn.Properties.Environment.Variables.RTKIT_FUNCTION,
        ]
      })
      // Assess
      const own = served.filter(([key]) => !routeTable.some((entry) => entry.routeKey === key)).sort()
      assert.deepEqual(own, [
        ['POST /functions/close-poll', 'rtkit function close-poll', 'close-poll'],
        ['POST /functions/tally_up', 'rtkit function tally_up', 'tally_up'],
      ])
      assert.equal(served.length, routeTable.length + 2)
      for (const fn of Object.values(functions).filter((candidate) =>
        String(candidate.Properties.Description).startsWith('rtkit function'),
      )) {
        assert.equal(fn.Properties.Handler, 'functions-call.handler')
      }
    })
  })
})

describe('parseRouteKey', () => {
  it('splits a route key into method and path', () => {
    const { method, path } = parseRouteKey('PATCH /collections/{name}/{id}')
    assert.equal(method, 'PATCH')
    assert.equal(path, '/collections/{name}/{id}')
  })

  for (const bad of ['FETCH /x', 'GET x', 'GET /x extra', 'GET']) {
    it(`refuses "${bad}"`, () => assert.throws(() => parseRouteKey(bad), /is not "<METHOD> \/<path>"/))
  }
})

describe('missingBundles', () => {
  it('names every handler whose bundle is absent, and only those', () => {
    // Prepare: a folder with one handler's bundle.
    const dir = mkdtempSync(join(tmpdir(), 'rtkit-bundles-'))
    const [first, ...rest] = Object.keys(handlerModules)
    writeFileSync(join(dir, `${first}.mjs`), 'export const handler = () => {}')
    try {
      // Act / Assess
      assert.deepEqual(
        missingBundles(dir),
        rest.map((name) => `${name}.mjs`),
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
