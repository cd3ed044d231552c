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
