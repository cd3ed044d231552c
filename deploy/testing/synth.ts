import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { App, type CfnElement, type IResolvable } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import type { Construct } from 'constructs'
import { buildLambdas } from '../../scripts/build-lambdas.ts'
import { RtkitStack } from '../rtkit-stack.ts'
import { readSettings } from '../settings.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'rtkit-deploy-test-'))
let bundles: Promise<string> | undefined

/**
 * The Lambda bundles, built once per test process into a temporary folder
 * (about a second with esbuild), so the deploy tests need no prior `npm run
 * build` and synthesise against real bundles, as `npm run synth` does.
 */
function lambdaBundleDir(): Promise<string> {
  bundles ??= buildLambdas(root, join(work, 'lambdas')).then(() => join(work, 'lambdas'))
  return bundles
}

/** A synthesised stack and its template. */
export interface Synthesised {
  /** The cloud assembly folder (template, staged assets, validation report). */
  outdir: string
  stack: RtkitStack
  template: Template
  /** The template as one JSON text, for "never appears" checks. */
  text: string
  /** The logical id CloudFormation knows `construct` by. */
  logicalId(construct: Construct): string
}

/** Options of {@link synthesise}. */
export interface SynthOptions {
  /**
   * Run CloudFormation's offline rules on the template, as `cdk synth` does
   * (`@aws-cdk/core:validateAgainstDefaultRules` makes errors fatal). It
   * takes a few seconds, so one test turns it on and the rest skip it.
   */
  validate?: boolean
  /** Bundles built elsewhere (with an operator's config, say) instead of the shared ones. */
  lambdaBundleDir?: string
  /** An operator's config module, built for by the stack itself (its `config` option). */
  config?: string
}

/**
 * Synthesises the stack in-process the way `cdk synth` does: the feature
 * flags from `cdk.json`, plus `context` as `-c key=value` would give it.
 */
export async function synthesise(context: Record<string, string> = {}, options: SynthOptions = {}): Promise<Synthesised> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  const outdir = mkdtempSync(join(work, 'cdk.out-'))
  const app = new App({ context: { ...cdkJson.context, ...context }, outdir })
  const settings = readSettings((key) => app.node.tryGetContext(key))
  const stack = new RtkitStack(app, settings.stackName, {
    settings,
    lambdaBundleDir: options.config ? undefined : (options.lambdaBundleDir ?? (await lambdaBundleDir())),
    repositoryRoot: root,
    config: options.config,
  })
  const previous = process.env.CDK_VALIDATION
  process.env.CDK_VALIDATION = options.validate ? 'true' : 'false'
  let template: Template
  try {
    template = Template.fromStack(stack)
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION
    else process.env.CDK_VALIDATION = previous
  }
  return {
    outdir,
    stack,
    template,
    text: JSON.stringify(template.toJSON()),
    logicalId: (construct) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement),
  }
}

/** Removes the temporary bundles and cloud assemblies; call from `after`. */
export function cleanUp(): void {
  rmSync(work, { recursive: true, force: true })
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, or undefined. */
export function referenced(value: unknown): string | undefined {
  const node = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | IResolvable | undefined
  if (node && typeof node === 'object' && 'Ref' in node) return node.Ref
  if (node && typeof node === 'object' && 'Fn::GetAtt' in node) return node['Fn::GetAtt']?.[0]
  return undefined
}

/** A template resource, loosely typed: tests read the properties they check. */
export type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] }

/** The resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>
}
