import type { KeyValueStorage } from './key-value-storage.ts'

/**
 * Writes snapshots to storage one at a time per key, keeping only the latest
 * one that arrives while a write is running. With async storage an older
 * snapshot can then never land after a newer one; with sync storage each
 * write still happens at once. Writes already accepted finish even if the
 * kit is disposed meanwhile, so a reload finds the last state.
 *
 * @example
 * const writes = new LatestWrites(storage, 'the command queue')
 * writes.write('rtkit:commands:alice', JSON.stringify(queue))
 * writes.write('rtkit:session', null) // removes the key
 */
export class LatestWrites {
  /** The snapshot waiting behind a running write, by key; `null` removes the key. */
  readonly #waiting = new Map<string, string | null>()
  /** The running write loop of each key. */
  readonly #running = new Map<string, Promise<void>>()

  constructor(
    private readonly storage: KeyValueStorage,
    /** What is stored, for the warning when a write fails. */
    private readonly what: string,
  ) {}

  /** Stores `value` under `key` (or removes the key for `null`) after any write to `key` still running. */
  write(key: string, value: string | null): void {
    this.#waiting.set(key, value)
    this.#start(key)
  }

  /** Resolves once every write to `key` accepted so far has finished, so a read sees the latest. */
  async written(key: string): Promise<void> {
    for (let running = this.#running.get(key); running; running = this.#running.get(key)) await running
  }

  #start(key: string): void {
    if (this.#running.has(key)) return
    // Bookkeeping in `finally` runs after `set` below even when the storage is synchronous.
    const loop = this.#drain(key).finally(() => {
      this.#running.delete(key)
      if (this.#waiting.has(key)) this.#start(key)
    })
    this.#running.set(key, loop)
  }

  async #drain(key: string): Promise<void> {
    while (this.#waiting.has(key)) {
      const value = this.#waiting.get(key)!
      this.#waiting.delete(key)
      try {
        if (value === null) await this.storage.remove(key)
        else await this.storage.set(key, value)
      } catch (error: unknown) {
        console.warn(`rtkit: could not store ${this.what}`, error)
      }
    }
  }
}
