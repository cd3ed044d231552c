/**
 * A map that holds at most `max` entries and forgets the least recently
 * used one first: the one eviction rule of every cache in rtkit (the
 * client's presence profiles, the server's verified tokens and session
 * checks). A read or a write makes an entry the most recent; a `Map` keeps
 * insertion order, so moving an entry to the end is a delete and a set.
 *
 * Why not the `lru-cache` package: the client bundles this, and
 * `lru-cache` is about 5 KB min+gzip (TTL, sizes, fetch, disposal) for a
 * feature that needs 30 lines, out of an 85 KB budget for every tag,
 * service and dependency together. Entries that expire keep their own
 * deadline (as `session-guard.ts` and `tokens.ts` do) and are dropped when
 * read past it.
 *
 * @example
 * const profiles = new LruCache<string, UserProfile>(1_000)
 * profiles.set(user.id, user)
 * profiles.get(user.id) // user, now the most recent
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>()

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`LruCache needs room for at least one entry, not ${max}`)
  }

  get size(): number {
    return this.#entries.size
  }

  /** The value, made the most recent; `undefined` when absent. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined
    const value = this.#entries.get(key) as V
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  has(key: K): boolean {
    return this.#entries.has(key)
  }

  /** Stores `value` as the most recent, forgetting the least recent entry when full. */
  set(key: K, value: V): this {
    this.#entries.delete(key)
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value as K)
    this.#entries.set(key, value)
    return this
  }

  delete(key: K): boolean {
    return this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}
