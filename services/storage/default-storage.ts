import type { KeyValueStorage } from './key-value-storage.ts'
import { MemoryStorage } from './memory-storage.ts'
import { WebStorage } from './web-storage.ts'

/**
 * `localStorage` when the environment has a usable one (browsers), else
 * memory (Node, or a browser that blocks storage).
 *
 * @example
 * const storage = defaultStorage()
 */
export function defaultStorage(): KeyValueStorage {
  try {
    const local = (globalThis as { localStorage?: Storage }).localStorage
    if (local) {
      const probe = '__rtkit_probe__'
      local.setItem(probe, probe)
      local.removeItem(probe)
      return new WebStorage(local)
    }
  } catch {
    // Access can throw (privacy modes, sandboxed iframes, Node's --localstorage-file warnings).
  }
  return new MemoryStorage()
}
