import type { KeyValueStorage } from './key-value-storage.ts'

/**
 * Adapts a Web Storage object (`localStorage`, `sessionStorage`). Quota and
 * privacy-mode errors surface from `set`, and the kit logs them.
 *
 * @example
 * createKit({ apiUrl, realtimeUrl, storage: new WebStorage(sessionStorage) })
 */
export class WebStorage implements KeyValueStorage {
  constructor(private readonly storage: Storage) {}

  get(key: string): string | null {
    return this.storage.getItem(key)
  }

  set(key: string, value: string): void {
    this.storage.setItem(key, value)
  }

  remove(key: string): void {
    this.storage.removeItem(key)
  }

  keys(prefix: string): string[] {
    const found: string[] = []
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i)
      if (key?.startsWith(prefix)) found.push(key)
    }
    return found
  }
}
