/**
 * `rtkit-server/config`: what an operator's `rtkit.config.mjs` imports.
 *
 * @example
 * import { defineConfig, defineCollection, tasks, messages, text } from 'rtkit-server/config'
 * import { z } from 'zod'
 *
 * export default defineConfig({
 *   collections: [tasks, messages, defineCollection({ name: 'notes', partitionKey: 'page', fields: { body: text({ max: 2000 }) }, rules: { read: () => true } })],
 * })
 */
export { defineConfig, defineCollection, text } from './define.ts'
export type {
  CollectionDefinition,
  CollectionOptions,
  CollectionRules,
  ConfigOptions,
  DocOf,
  FieldSchemas,
  FieldsOf,
  RtkitConfig,
  RtkitUser,
} from './define.ts'
export type { StandardSchemaV1 } from './standard-schema.ts'
export { defineFunction, FunctionError } from '../functions/define-function.ts'
export type {
  FunctionContext,
  FunctionDefinition,
  FunctionLog,
  FunctionOptions,
  ServerCollection,
  StoredDocument,
} from '../functions/define-function.ts'
export { tasks, messages, mayReadRoom } from './builtins.ts'
