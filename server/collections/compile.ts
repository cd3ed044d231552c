import { AccessLevel, accessAllows } from '../../contracts/access.ts'
import { documentId, partitionValue } from '../../contracts/collection.ts'
import type { FieldIssue } from '../../contracts/errors.ts'
import type { Principal } from '../../contracts/principal.ts'
import { refuseWith, reportedIssues, unrecognizedKeys } from '../lib/validation.ts'
import { META_FIELDS, movedTo, OPERATIONS, type Collection, type Operation, type Rules } from './collection.ts'
import {
  COLLECTION_OPTIONS,
  CONFIG_OPTIONS,
  isCollectionDefinition,
  isConfig,
  textOptions,
  type AnyCollectionDefinition,
} from './define.ts'
import { isStandardSchema, type StandardResult, type StandardSchemaV1 } from './standard-schema.ts'

/**
 * Turns an operator's config into the collections the server runs, checking
 * everything a typo could break before anything starts: a bad config stops
 * start-up with one line naming the file, the collection and the problem.
 */

/** A config module that cannot be used; start-up prints the message alone and exits 1. */
export class OperatorConfigError extends Error {
  override name = 'OperatorConfigError'
  readonly expose = true
}

const NAME = /^[a-z][a-z0-9_-]{0,63}$/
/** Names the server's own tables and routes use. */
const RESERVED = new Set([
  'users',
  'revocations',
  'profiles',
  'login_throttle',
  'function_calls',
  'auth',
  'functions',
  'collections',
  'rethinkdb',
  'rtkit',
])

type Problem = (message: string) => never

/** A field's value as its schema gave it back, or its issues. */
interface Checked {
  value: unknown
  issues: FieldIssue[]
}

/**
 * `value` through `schema`: at once when the schema answers at once, as
 * zod, valibot and arktype do for anything not declared async, and as a
 * promise otherwise. Awaiting each field of each write cost two promises a
 * field for nothing.
 */
function check(schema: StandardSchemaV1, value: unknown, field: string): Checked | Promise<Checked> {
  const checked = (result: StandardResult<unknown>): Checked =>
    result.issues ? { value: undefined, issues: reportedIssues(result.issues, field) } : { value: result.value, issues: [] }
  const result = schema['~standard'].validate(value)
  return result instanceof Promise ? result.then(checked) : checked(result)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Issues for the body's unexpected keys, each at its own path: a derived one is set by the server, any other is unknown. */
function unexpectedKeys(body: Record<string, unknown>, allowed: ReadonlySet<string>, derived: ReadonlySet<string>): FieldIssue[] {
  const unexpected = Object.keys(body).filter((key) => !allowed.has(key))
  const issues: FieldIssue[] = unexpected.filter((key) => derived.has(key)).map((key) => ({ path: key, message: 'is set by the server' }))
  const unknown = unexpected.filter((key) => !derived.has(key))
  // concat, not push(...): a body may have more unknown keys than a call may take arguments.
  return issues.concat(unrecognizedKeys('', unknown))
}

/** The declared rules with the caller's `access` grants applied first, and a missing rule refusing. */
function rulesOf(definition: AnyCollectionDefinition): Rules {
  const { name, partitionKey, rules } = definition
  const writable = (user: Principal, partition: unknown) =>
    typeof partition === 'string' && accessAllows(user.access, name, partition, AccessLevel.write)
  const partitionOf = (doc: Record<string, unknown>) => doc[partitionKey]
  return {
    read: (user, partition) => accessAllows(user.access, name, partition, AccessLevel.read) && (rules.read?.(user, partition) ?? false),
    create: (user, doc) => writable(user, partitionOf(doc)) && (rules.create?.(user, doc as never) ?? false),
    update: (user, existing, patch) => {
      const target = movedTo(partitionKey, existing, patch)
      return (
        writable(user, partitionOf(existing)) &&
        (rules.update?.(user, existing as never, patch as never) ?? false) &&
        // A move is also a create in the partition it goes to: the rules of both apply.
        (target === undefined || (writable(user, target) && (rules.create?.(user, { ...existing, ...patch } as never) ?? false)))
      )
    },
    remove: (user, existing) => writable(user, partitionOf(existing)) && (rules.remove?.(user, existing as never) ?? false),
  }
}

/** The fields `derive` sets, learnt by asking it about a stand-in user. */
function derivedFields(definition: AnyCollectionDefinition, problem: Problem): string[] {
  if (definition.derive === undefined) return []
  if (typeof definition.derive !== 'function') problem('derive must be a function of the user')
  let sample: unknown
  try {
    sample = definition.derive({ id: 'user-id', username: 'user', name: 'User', role: 'user' })
  } catch (error) {
    problem(`derive threw for a signed-in user: ${(error as Error).message}`)
  }
  if (!isPlainObject(sample)) problem('derive must return an object of fields')
  return Object.keys(sample)
}

/** A partition value is always text: a schema for the partition key that accepts a number or a boolean declares another type. */
function checkPartitionKeySchema(field: string, schema: StandardSchemaV1, problem: Problem): void {
  for (const sample of [5, true]) {
    const result = schema['~standard'].validate(sample)
    if (!(result instanceof Promise) && !result.issues)
      problem(
        `field "${field}" is the partition key, always text, but its schema accepts ${String(sample)}: give it a string schema or text(…)`,
      )
  }
}

function compileCollection(definition: AnyCollectionDefinition, problem: Problem): Collection {
  const { name, partitionKey } = definition
  for (const option of Object.keys(definition)) {
    if (!COLLECTION_OPTIONS.includes(option)) problem(`"${option}" is not an option (${COLLECTION_OPTIONS.join(', ')})`)
  }
  if (typeof partitionKey !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(partitionKey)) {
    problem('partitionKey must name a field (letters, digits, _)')
  }
  if (!isPlainObject(definition.fields)) problem('fields must be an object of Standard Schema validators (zod, valibot, arktype…)')
  const schemas = definition.fields as Record<string, unknown>
  for (const [field, schema] of Object.entries(schemas)) {
    if (!isStandardSchema(schema)) problem(`field "${field}" is not a Standard Schema validator (zod 3.24+, valibot, arktype…)`)
    if ((META_FIELDS as readonly string[]).includes(field)) problem(`field "${field}" is set by the server on every document`)
  }
  const keySchema = schemas[partitionKey]
  if (keySchema !== undefined) checkPartitionKeySchema(partitionKey, keySchema as StandardSchemaV1, problem)
  const derived = derivedFields(definition, problem)
  for (const field of derived) {
    if (field in schemas || field === partitionKey) problem(`derived field "${field}" is also a declared field`)
  }
  const fields = [partitionKey, ...Object.keys(schemas).filter((field) => field !== partitionKey)]
  const known = new Set([...fields, ...derived, ...META_FIELDS])
  for (const [what, list] of [
    ['order', definition.order ?? []],
    ['indexes', definition.indexes ?? []],
  ] as const) {
    if (!Array.isArray(list)) problem(`${what} must be a list of field names`)
    for (const entry of list) if (!known.has(entry)) problem(`${what} names an unknown field "${String(entry)}"`)
  }
  if (!isPlainObject(definition.rules)) problem('rules must be an object of functions (read, create, update, remove)')
  for (const [operation, rule] of Object.entries(definition.rules)) {
    if (!(OPERATIONS as readonly string[]).includes(operation)) problem(`rules.${operation} is not a rule (read, create, update, remove)`)
    if (rule !== undefined && typeof rule !== 'function') problem(`rules.${operation} is not a function`)
  }
  const refused = OPERATIONS.filter((operation: Operation) => definition.rules[operation] === undefined)

  const validators = new Map<string, StandardSchemaV1>(Object.entries(schemas) as [string, StandardSchemaV1][])
  const derivedSet = new Set(derived)
  const createKeys = new Set(['id', ...fields])
  const patchKeys = new Set(fields)
  /** The partition key: a partition value, and then whatever its own schema says. */
  const checkField = (field: string, value: unknown): Checked | Promise<Checked> => {
    if (field === partitionKey) {
      const plain = partitionValue().safeParse(value)
      if (!plain.success)
        return { value: undefined, issues: [{ path: field, message: plain.error.issues[0]?.message ?? 'is not a partition value' }] }
    }
    const schema = validators.get(field)
    return schema ? check(schema, value, field) : { value, issues: [] }
  }
  /** `names` of `body` through {@link checkField}, in turn: the values they check out as into `output`, their issues onto `issues`. */
  const checkFields = async (
    names: readonly string[],
    body: Record<string, unknown>,
    output: Record<string, unknown>,
    issues: FieldIssue[],
  ) => {
    for (const field of names) {
      const checking = checkField(field, body[field])
      const result = checking instanceof Promise ? await checking : checking
      issues.push(...result.issues)
      if (result.value !== undefined) output[field] = result.value
    }
  }

  return {
    name,
    partitionKey,
    fields,
    derived,
    textFields: fields.filter((field) => textOptions(schemas[field]) !== undefined),
    order: [...(definition.order ?? [])],
    indexes: [...(definition.indexes ?? [])],
    refused,
    rules: rulesOf(definition),
    derive: (user) => ({ ...definition.derive?.(user) }),
    async validateCreate(body) {
      if (!isPlainObject(body)) refuseWith([{ path: '', message: 'must be an object' }])
      const issues: FieldIssue[] = []
      const id = documentId().safeParse(body.id)
      if (body.id === undefined)
        issues.push({ path: 'id', message: 'is required: a UUID the client makes, so a retry cannot create it twice' })
      else if (!id.success) issues.push({ path: 'id', message: id.error.issues[0]?.message ?? 'must be a UUID' })
      const output: Record<string, unknown> & { id: string } = { id: String(body.id) }
      await checkFields(fields, body, output, issues)
      // Unexpected keys last: many of them must not push a missing id or a wrong value out of the listed issues.
      const refusals = issues.concat(unexpectedKeys(body, createKeys, derivedSet))
      if (refusals.length > 0) refuseWith(refusals)
      return output
    },
    async validatePatch(body) {
      if (!isPlainObject(body)) refuseWith([{ path: '', message: 'must be an object' }])
      const issues: FieldIssue[] = []
      if (Object.keys(body).length === 0) issues.push({ path: '', message: 'must change at least one field' })
      const output: Record<string, unknown> = {}
      await checkFields(
        Object.keys(body).filter((key) => patchKeys.has(key)),
        body,
        output,
        issues,
      )
      const refusals = issues.concat(unexpectedKeys(body, patchKeys, derivedSet))
      if (refusals.length > 0) refuseWith(refusals)
      return output
    },
  }
}

/**
 * The collections `config` declares, checked; `file` names the config module
 * in messages (`'built-in default'` when there is none).
 *
 * @throws {OperatorConfigError} one line: the file, the collection, the problem.
 */
export function compileConfig(config: unknown, file: string): Collection[] {
  if (!isConfig(config)) {
    throw new OperatorConfigError(`${file}: the default export must be defineConfig({ collections: [...] }) from 'rtkit-server/config'`)
  }
  for (const option of Object.keys(config)) {
    if (!CONFIG_OPTIONS.includes(option))
      throw new OperatorConfigError(`${file}: "${option}" is not an option of defineConfig (${CONFIG_OPTIONS.join(', ')})`)
  }
  if (!Array.isArray(config.collections)) throw new OperatorConfigError(`${file}: collections must be a list of defineCollection(...)`)
  const seen = new Set<string>()
  return config.collections.map((definition: unknown, index) => {
    if (!isCollectionDefinition(definition)) {
      throw new OperatorConfigError(`${file}: collections[${index}] is not made by defineCollection(...)`)
    }
    const label = typeof definition.name === 'string' ? `collection "${definition.name}"` : `collections[${index}]`
    const problem: Problem = (message) => {
      throw new OperatorConfigError(`${file}: ${label}: ${message}`)
    }
    if (typeof definition.name !== 'string' || !NAME.test(definition.name)) problem('name must match [a-z][a-z0-9_-]{0,63}')
    if (RESERVED.has(definition.name)) problem(`name "${definition.name}" is reserved by rtkit`)
    if (seen.has(definition.name)) problem('is declared twice')
    seen.add(definition.name)
    return compileCollection(definition, problem)
  })
}
