/**
 * Where the kit keeps what must survive a reload: the session token and the
 * queue of commands not yet confirmed. Methods may be sync or async, so
 * `localStorage` fits directly and an IndexedDB adapter can be added later.
 *
 * @example
 * const storage: KeyValueStorage = {
 *   get: (key) => idb.get(key), set: (key, value) => idb.set(key, value), remove: (key) => idb.del(key),
 * }
 */
export interface KeyValueStorage {
  get(key: string): string | null | undefined | Promise<string | null | undefined>
  set(key: string, value: string): void | Promise<void>
  remove(key: string): void | Promise<void>
}
