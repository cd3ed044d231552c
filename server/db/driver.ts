import type * as Rethinkdb from 'rethinkdb'

export type Driver = typeof Rethinkdb

let loading: Promise<Driver> | undefined

/**
 * The `rethinkdb` driver, loaded on first use. Handlers that reject a request
 * before touching the database (bad token, bad body) never pay for loading
 * it, and a Lambda's cold start does not include it.
 */
export function driver(): Promise<Driver> {
  loading ??= import('rethinkdb').then((module) => ((module as { default?: Driver }).default ?? module) as Driver)
  return loading
}

/**
 * `table.getAll(...keys, options?)`: any number of keys, then the options.
 * `@types/rethinkdb` spells out at most four keys, hence this one typed door.
 */
export function getAllOf(table: Rethinkdb.Table, keys: readonly string[], options?: { index: string }): Rethinkdb.Sequence {
  const getAll = table.getAll.bind(table) as unknown as (...keysThenOptions: unknown[]) => Rethinkdb.Sequence
  return options ? getAll(...keys, options) : getAll(...keys)
}
