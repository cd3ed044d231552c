import { messages, tasks } from './builtins.ts'
import type { Collection } from './collection.ts'
import { compileConfig } from './compile.ts'
import { defineConfig } from './define.ts'
import { firstUse } from '../lib/first-use.ts'

/**
 * The collections this process serves: the ones its config module declares
 * (set once at start by `useCollections`), or the built-ins `tasks` and
 * `messages` when there is no config. A Lambda handler reads the same
 * registry; its bundle sets the config it was built with before the first
 * request (`scripts/build-lambdas.ts`).
 */

/**
 * The collections with no config module: the two built-ins, compiled on
 * first use (a Lambda handler's init compiles nothing; its first request does).
 */
export const defaultCollections: () => readonly Collection[] = firstUse(() =>
  compileConfig(defineConfig({ collections: [tasks, messages] }), 'built-in default'),
)

let served: { list: readonly Collection[]; byName: ReadonlyMap<string, Collection> } | undefined

function indexed(list: readonly Collection[]): NonNullable<typeof served> {
  return { list, byName: new Map(list.map((collection) => [collection.name, collection])) }
}

/** What is served: the built-ins until {@link useCollections} says otherwise. */
function serving(): NonNullable<typeof served> {
  return (served ??= indexed(defaultCollections()))
}

/** Serves `list` from now on. */
export function useCollections(list: readonly Collection[]): void {
  served = indexed(list)
}

/** Every collection served, in declaration order. */
export function servedCollections(): readonly Collection[] {
  return serving().list
}

/** The collection named `name`, or `undefined` (its routes answer 404). */
export function findCollection(name: string): Collection | undefined {
  return serving().byName.get(name)
}
