import type { Kit } from '../kit.ts'

/**
 * Makes `make(kit)` once per kit and hands out that one: shortcuts that
 * remember what their streams last showed (a new task's default order) keep
 * it across calls. Held weakly, so a disposed kit's shortcuts go with it.
 */
export function perKit<T>(make: (kit: Kit) => T): (kit: Kit) => T {
  const made = new WeakMap<Kit, T>()
  return (kit) => {
    if (!made.has(kit)) made.set(kit, make(kit))
    return made.get(kit)!
  }
}
