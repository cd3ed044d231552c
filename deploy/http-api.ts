import {
  Duration,
  RemovalPolicy,
  aws_apigatewayv2 as apigwv2,
  aws_apigatewayv2_integrations as integrations,
  type aws_ec2 as ec2,
  aws_lambda as lambda,
  aws_logs as logs,
  type aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { handlerModules, routeTable, type HandlerName, type RouteEntry } from '../server/routes.ts'
import { declaredFunctions } from './lambda-bundles.ts'

/** Options of {@link HttpApiHandlers}. */
export interface HttpApiHandlersProps {
  vpc: ec2.IVpc
  subnets: readonly ec2.ISubnet[]
  securityGroup: ec2.ISecurityGroup
  /** Folder of `npm run build:lambdas`' output: `<handler>.mjs` plus `chunks/`. */
  bundleDir: string
  /** Shared server environment (see `serverEnvironment`). */
  environment: Record<string, string>
  jwtSecret: secretsmanager.ISecret
  corsOrigin: string
  memoryMiB: number
  timeoutSeconds: number
}

/** `auth-login` → `AuthLogin`, for construct ids. */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())
}

/** Splits `PATCH /collections/{name}/{id}` into its method and path. */
export function parseRouteKey(routeKey: string): { method: apigwv2.HttpMethod; path: string } {
  const [verb, path, ...rest] = routeKey.split(' ')
  const method = apigwv2.HttpMethod[verb as keyof typeof apigwv2.HttpMethod]
  if (!method || !path?.startsWith('/') || rest.length > 0) throw new Error(`route key "${routeKey}" is not "<METHOD> /<path>"`)
  return { method, path }
}

/**
 * One Lambda function per handler module of `server/routes.ts`, and an HTTP
 * API (API Gateway v2, payload format 2.0 — the events the handlers take)
 * whose routes are generated from `routeTable`: the route table stays the
 * one list, here as in the local gateway.
 *
 * Every function ships the same asset, the whole bundle folder: each entry
 * is a few KiB and the chunks are shared, so one upload serves all.
 */
export class HttpApiHandlers extends Construct {
  readonly functions: ReadonlyMap<HandlerName, lambda.Function>
  /** A Lambda per function of the operator's config, by function name. */
  readonly operatorFunctions: ReadonlyMap<string, lambda.Function>
  readonly api: apigwv2.HttpApi

  constructor(scope: Construct, id: string, props: HttpApiHandlersProps) {
    super(scope, id)
    const code = lambda.Code.fromAsset(props.bundleDir)
    const functions = new Map<HandlerName, lambda.Function>()
    const makeFunction = (id: string, description: string, handler: HandlerName, extra: Record<string, string> = {}) => {
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      })
      const fn = new lambda.Function(this, id, {
        description,
        code,
        handler: `${handler}.handler`,
        runtime: lambda.Runtime.NODEJS_22_X,
        // The bundles are plain JavaScript; Graviton is the cheaper choice.
        architecture: lambda.Architecture.ARM_64,
        memorySize: props.memoryMiB,
        timeout: Duration.seconds(props.timeoutSeconds),
        vpc: props.vpc,
        vpcSubnets: { subnets: [...props.subnets] },
        securityGroups: [props.securityGroup],
        logGroup,
        environment: {
          ...props.environment,
          ...extra,
          // Read once per cold start (server/lib/secrets.ts); never the value itself.
          RTKIT_JWT_SECRET_ARN: props.jwtSecret.secretArn,
        },
      })
      props.jwtSecret.grantRead(fn)
      return fn
    }
    for (const name of Object.keys(handlerModules) as HandlerName[]) {
      functions.set(name, makeFunction(pascal(name), `rtkit handler ${name}`, name))
    }
    this.functions = functions

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: 'rtkit',
      description: 'rtkit HTTP API: routes from server/routes.ts',
      corsPreflight: {
        allowOrigins: [props.corsOrigin],
        allowMethods: corsMethods(routeTable),
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        exposeHeaders: ['x-request-id', 'retry-after', 'www-authenticate', 'idempotent-replayed'],
        maxAge: Duration.hours(1),
      },
    })
    const integrationsByHandler = new Map<HandlerName, integrations.HttpLambdaIntegration>()
    for (const entry of routeTable) {
      const { method, path } = parseRouteKey(entry.routeKey)
      let integration = integrationsByHandler.get(entry.handler)
      if (!integration) {
        integration = new integrations.HttpLambdaIntegration(`${pascal(entry.handler)}Integration`, functions.get(entry.handler)!)
        integrationsByHandler.set(entry.handler, integration)
      }
      new apigwv2.HttpRoute(this, `Route${entry.routeKey.replace(/[^A-Za-z0-9]+/g, '-')}`, {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.with(path, method),
        integration,
      })
    }

    // Each of the operator's functions: a Lambda of its own (the same bundle, told
    // which one it serves) on a route of its own, which API Gateway matches
    // before `POST /functions/{name}`; that one is left answering 404 for unknown names.
    const perFunction = new Map<string, lambda.Function>()
    for (const name of declaredFunctions(props.bundleDir)) {
      // CDK turns the id into a logical id of letters and digits plus a hash, so `a-b` and `a_b` stay apart.
      const id = `Function-${name}`
      const fn = makeFunction(id, `rtkit function ${name}`, 'functions-call', { RTKIT_FUNCTION: name })
      perFunction.set(name, fn)
      new apigwv2.HttpRoute(this, `RoutePOST-functions-${name}`, {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.with(`/functions/${name}`, apigwv2.HttpMethod.POST),
        integration: new integrations.HttpLambdaIntegration(`${id}Integration`, fn),
      })
    }
    this.operatorFunctions = perFunction
  }
}

/** The methods the route table uses, plus the preflight's own. */
function corsMethods(routes: readonly RouteEntry[]): apigwv2.CorsHttpMethod[] {
  const methods = new Set(routes.map((entry) => entry.routeKey.split(' ')[0]!))
  return [...methods, 'OPTIONS'].map((method) => apigwv2.CorsHttpMethod[method as keyof typeof apigwv2.CorsHttpMethod])
}
