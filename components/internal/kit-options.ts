import type { KitOptions } from '../../services/index.ts'

/** One option on which two requests for a kit disagree, with both values as a person reads them. */
export interface OptionConflict {
  option: string
  first: string
  next: string
}

const base = () => (typeof document === 'undefined' ? undefined : document.baseURI)

/** An option's value as compared: URLs (and URL auth endpoints) resolved against the page, the storage key's default filled in. */
function comparable(option: string, value: unknown): unknown {
  if (option === 'storageKey') return value ?? 'rtkit'
  if (option === 'apiUrl' && typeof value === 'string') return new URL(value, base()).href.replace(/\/$/, '')
  if ((option === 'realtimeUrl' || option === 'authEndpoint') && typeof value === 'string') return new URL(value, base()).href
  return value
}

function describe(option: string, value: unknown, other: unknown, later: boolean): string {
  if (value === undefined) return option === 'storageKey' ? '"rtkit" (the default)' : '(not set)'
  if (typeof value === 'function') {
    const name = value.name ? ` ${value.name}` : ''
    return typeof other === 'function' && later ? `another function${name}` : `a function${name}`
  }
  if (typeof value === 'object') return `a ${(value as object).constructor?.name || 'object'}`
  return JSON.stringify(value)
}

/**
 * Every option on which `next` differs from `first`, the kit already made:
 * all of `KitOptions`, so an option added later is compared too.
 */
export function optionConflicts(first: KitOptions, next: KitOptions): OptionConflict[] {
  const options = [...new Set([...Object.keys(first), ...Object.keys(next)])] as Array<keyof KitOptions>
  return options
    .filter((option) => comparable(option, first[option]) !== comparable(option, next[option]))
    .map((option) => ({
      option,
      first: describe(option, first[option], next[option], false),
      next: describe(option, next[option], first[option], true),
    }))
}
