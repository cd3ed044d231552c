import type { AnyCollection } from './collection.ts'
import { messages } from './messages.ts'
import { tasks } from './tasks.ts'

/** Every collection the server exposes, by name. Add a declaration here to add a collection. */
export const collections: Readonly<Record<string, AnyCollection>> = {
  [tasks.name]: tasks,
  [messages.name]: messages,
}

/** The declaration of `name`, or `undefined` for an unknown collection. */
export function findCollection(name: string): AnyCollection | undefined {
  return Object.hasOwn(collections, name) ? collections[name] : undefined
}
