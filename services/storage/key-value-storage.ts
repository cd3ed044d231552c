/**
 * Where the kit keeps what must survive a reload: the session token and the
 * queue of commands not yet confirmed. Methods may be sync or async, so an
 * IndexedDB adapter fits as well as a synchronous store. `localStorage` and
 * `sessionStorage` do not fit directly (their methods are `getItem`,
 * `setItem`, `removeItem`): wrap them in {@link WebStorage}, which the kit
 * uses by default in browsers.
 *
 * `keys` lets each browser tab keep a queue of its own and take over the
 * queues of tabs that have closed (see `services/storage/queue-store.ts`);
 * without it, every tab of one user shares one stored queue.
 *
 * @example
 * const storage: KeyValueStorage = {
 *   get: (key) => idb.get(key), set: (key, value) => idb.set(key, value), remove: (key) => idb.del(key),
 *   keys: async (prefix) => (await idb.keys()).filter((key) => key.startsWith(prefix)),
 * }
 */
export interface KeyValueStorage {
  get(key: string): string | null | undefined | Promise<string | null | undefined>
  set(key: string, value: string): void | Promise<void>
  remove(key: string): void | Promise<void>
  /** Every stored key that starts with `prefix`. */
  keys?(prefix: string): readonly string[] | Promise<readonly string[]>
}
