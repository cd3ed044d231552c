import type { Principal } from '../../contracts/principal.ts'
import { OperatorConfigError } from '../collections/compile.ts'
import { isConfig } from '../collections/define.ts'
import { isStandardSchema, type StandardSchemaV1 } from '../collections/standard-schema.ts'
import { refuseWith, reportedIssues } from '../lib/validation.ts'
import { isFunctionDefinition, type FunctionContext } from './define-function.ts'

/**
 * Turns the `functions` of an operator's config into the functions the
 * server runs, checked before anything starts: a bad one stops start-up with
 * one line naming the file, the function and the problem, as collections do.
 */

/** A declared function as the server runs it. */
export interface ServerFunction {
  readonly name: string
  /** Whether a token is required (401 without). */
  readonly auth: boolean
  /** The body checked against `input`. @throws {ValidationError} (422) */
  validateInput(body: unknown): Promise<unknown>
  /** `rules.call`, or allow-all when it is not declared. */
  mayCall(user: Principal | undefined, input: unknown): boolean
  run(input: unknown, ctx: FunctionContext<Principal | undefined>): Promise<unknown>
}

const NAME = /^[a-z][a-z0-9_-]{0,63}$/

/**
 * The functions `config` declares (none when it declares none), checked;
 * `file` names the config module in messages.
 *
 * @throws {OperatorConfigError} one line: the file, the function, the problem.
 */
export function compileFunctions(config: unknown, file: string): ServerFunction[] {
  if (!isConfig(config)) return []
  const declared = (config as { functions?: unknown }).functions ?? []
  if (!Array.isArray(declared)) throw new OperatorConfigError(`${file}: functions must be a list of defineFunction(...)`)
  const seen = new Set<string>()
  return declared.map((definition: unknown, index): ServerFunction => {
    if (!isFunctionDefinition(definition)) throw new OperatorConfigError(`${file}: functions[${index}] is not made by defineFunction(...)`)
    const label = typeof definition.name === 'string' ? `function "${definition.name}"` : `functions[${index}]`
    const problem = (message: string): never => {
      throw new OperatorConfigError(`${file}: ${label}: ${message}`)
    }
    const { name, input, handler, auth, rules } = definition
    if (typeof name !== 'string' || !NAME.test(name)) problem('name must match [a-z][a-z0-9_-]{0,63}')
    if (seen.has(name)) problem('is declared twice')
    seen.add(name)
    if (!isStandardSchema(input)) problem('input is not a Standard Schema validator (zod 3.24+, valibot, arktype…)')
    if (typeof handler !== 'function') problem('handler must be a function of (input, ctx)')
    if (auth !== undefined && typeof auth !== 'boolean') problem('auth must be true or false')
    if (rules !== undefined && (typeof rules !== 'object' || rules === null)) problem('rules must be an object ({ call })')
    const call = rules?.call as unknown
    if (call !== undefined && typeof call !== 'function') problem('rules.call is not a function')
    for (const key of Object.keys(rules ?? {})) if (key !== 'call') problem(`rules.${key} is not a rule (call)`)
    const schema = input as StandardSchemaV1
    return {
      name,
      auth: auth !== false,
      async validateInput(body) {
        const result = await schema['~standard'].validate(body)
        if (result.issues) refuseWith(reportedIssues(result.issues))
        return result.value
      },
      mayCall: (user, value) => (typeof call === 'function' ? (call as (u: unknown, i: unknown) => unknown)(user, value) === true : true),
      run: async (value, ctx) => (handler as (i: unknown, c: unknown) => unknown)(value, ctx),
    }
  })
}
