import type { Kit } from './kit.ts'

/**
 * The mark every facade made by `createKit` carries. A registered symbol
 * (`Symbol.for`), so separately loaded copies of rtkit on one page, which
 * share their kits (`components/internal/kit-registry.ts`), recognise each
 * other's facades; and a mark rather than a method, so a facade is known by
 * what it is, not by one of its collections.
 */
export const KIT_BRAND: unique symbol = Symbol.for('rtkit.kit')

/** Marks `kit` as a facade (not enumerable: spreading or serialising the kit leaves it out). */
export function brandKit<K extends object>(kit: K): K {
  return Object.defineProperty(kit, KIT_BRAND, { value: true })
}

/**
 * Whether `value` is a facade made by `createKit` (of any copy of rtkit on the page).
 *
 * @example
 * isKit(createKit(options)) // true
 * isKit({ apiUrl: '/api', realtimeUrl: '/deepstream' }) // false
 */
export function isKit(value: unknown): value is Kit {
  return typeof value === 'object' && value !== null && (value as { [KIT_BRAND]?: unknown })[KIT_BRAND] === true
}
