import type { KeyValueStorage } from './key-value-storage.ts'

/**
 * Keeps values in a `Map`: the default in Node, where there is no reload to
 * survive. Pass the same instance to a second kit to simulate a reload.
 *
 * @example
 * const storage = new MemoryStorage()
 * const kit = createKit({ apiUrl, realtimeUrl, storage })
 */
export class MemoryStorage implements KeyValueStorage {
  readonly #values = new Map<string, string>()

  get(key: string): string | null {
    return this.#values.get(key) ?? null
  }

  set(key: string, value: string): void {
    this.#values.set(key, value)
  }

  remove(key: string): void {
    this.#values.delete(key)
  }

  keys(prefix: string): string[] {
    return [...this.#values.keys()].filter((key) => key.startsWith(prefix))
  }
}
