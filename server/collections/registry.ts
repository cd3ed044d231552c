import { messages, tasks } from './builtins.ts'
import type { Collection } from './collection.ts'
import { compileConfig } from './compile.ts'
import { defineConfig } from './define.ts'

/**
 * The collections this process serves: the ones its config module declares
 * (set once at start by `useCollections`), or the built-ins `tasks` and
 * `messages` when there is no config. A Lambda handler reads the same
 * registry; its bundle sets the config it was built with before the first
 * request (`scripts/build-lambdas.ts`).
 */

/** The collections with no config module: the two built-ins. */
export const DEFAULT_COLLECTIONS: readonly Collection[] = compileConfig(
  defineConfig({ collections: [tasks, messages] }),
  'built-in default',
)

let current: readonly Collection[] = DEFAULT_COLLECTIONS
let byName = new Map(current.map((collection) => [collection.name, collection]))

/** Serves `list` from now on. */
export function useCollections(list: readonly Collection[]): void {
  current = list
  byName = new Map(list.map((collection) => [collection.name, collection]))
}

/** Every collection served, in declaration order. */
export function servedCollections(): readonly Collection[] {
  return current
}

/** The collection named `name`, or `undefined` (its routes answer 404). */
export function findCollection(name: string): Collection | undefined {
  return byName.get(name)
}
