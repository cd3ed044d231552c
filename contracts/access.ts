/**
 * The `access` claim of a host-issued token: which partitions a user may
 * read or write, as `"<collection>/<partition pattern>": "read" | "write"`.
 * A pattern is a partition value, or a prefix ending in `*`.
 *
 * - Without the claim, the collection's own rules alone decide.
 * - With it, a partition no pattern matches is neither readable nor
 *   writable; where several patterns match, the most specific wins: an exact
 *   value before any prefix, a longer prefix before a shorter one. `"write"`
 *   implies `"read"`.
 * - The collection's rules still apply on top (only an author edits a message).
 *
 * @example
 * const access = { 'tasks/acme-*': 'write', 'messages/acme-lobby': 'read' }
 * accessAllows(access, 'tasks', 'acme-launch', 'write')     // true
 * accessAllows(access, 'messages', 'acme-lobby', 'write')   // false
 * accessAllows(access, 'messages', 'other', 'read')         // false
 */
export type AccessGrants = Readonly<Record<string, AccessLevel>>

export const AccessLevel = { read: 'read', write: 'write' } as const
export type AccessLevel = (typeof AccessLevel)[keyof typeof AccessLevel]

/** At most this many entries in one claim; a larger claim is refused as malformed. */
export const MAX_ACCESS_ENTRIES = 200

/** The grant of the most specific pattern matching `collection/partition`, if any. */
export function accessLevelFor(access: AccessGrants, collection: string, partition: string): AccessLevel | undefined {
  const target = `${collection}/${partition}`
  const exact = access[target]
  if (exact !== undefined && Object.hasOwn(access, target)) return exact
  let best: { length: number; level: AccessLevel } | undefined
  for (const [pattern, level] of Object.entries(access)) {
    if (!pattern.endsWith('*')) continue
    const prefix = pattern.slice(0, -1)
    if (target.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, level }
  }
  return best?.level
}

/** Whether `access` (absent: no restriction) lets its holder `mode` the partition. */
export function accessAllows(access: AccessGrants | undefined, collection: string, partition: string, mode: AccessLevel): boolean {
  if (access === undefined) return true
  const level = accessLevelFor(access, collection, partition)
  if (level === undefined) return false
  return mode === AccessLevel.read || level === AccessLevel.write
}

/**
 * The claim as received, checked: a plain object of at most
 * {@link MAX_ACCESS_ENTRIES} entries, keys `<collection>/<pattern>`, values
 * `read` or `write`. `undefined` when absent; `null` when malformed (the
 * token is then refused, never read as "no restriction").
 */
export function parseAccessClaim(value: unknown): AccessGrants | undefined | null {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length > MAX_ACCESS_ENTRIES) return null
  const grants: Record<string, AccessLevel> = {}
  for (const [key, level] of entries) {
    const star = key.indexOf('*')
    if (!/^[A-Za-z0-9_-]+\/[A-Za-z0-9_.:*-]+$/.test(key) || (star !== -1 && star !== key.length - 1)) return null
    if (level !== AccessLevel.read && level !== AccessLevel.write) return null
    grants[key] = level
  }
  return grants
}
