import type { ServerFunction } from './compile-functions.ts'

/**
 * The functions this process serves: the ones its config module declares,
 * set once at start by `useFunctions` (a Lambda bundle sets those it was
 * built with, `server/collections/bundled-config.ts`); none without a config.
 */
let byName = new Map<string, ServerFunction>()

/** Serves `list` from now on. */
export function useFunctions(list: readonly ServerFunction[]): void {
  byName = new Map(list.map((fn) => [fn.name, fn]))
}

/** Every function served, in declaration order. */
export function servedFunctions(): readonly ServerFunction[] {
  return [...byName.values()]
}

/** The function named `name`, or `undefined` (its route answers 404). */
export function findFunction(name: string): ServerFunction | undefined {
  return byName.get(name)
}
