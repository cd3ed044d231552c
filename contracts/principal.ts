import type { AccessGrants } from './access.ts'

/** Who is making a request, as established from a verified token. */
export interface Principal {
  /**
   * The user id: an rtkit account's id (a UUID), {@link hostUserId} of a
   * host-issued token's `sub`, or `service:<name>` for the bundled bridge.
   */
  id: string
  username: string
  name: string
  role: Role
  /** A host-issued token's `access` claim; absent: the collection rules alone decide. */
  access?: AccessGrants | undefined
}

export const Role = { user: 'user', service: 'service' } as const
export type Role = (typeof Role)[keyof typeof Role]

/** What every host user's id starts with. */
export const HOST_USER_PREFIX = 'host:'

/**
 * The user id of a host-issued token's subject: `host:<sub>`. Principals of
 * different issuers never share an id, so a host token whose `sub` equals an
 * rtkit account's id (they are public) is another user, not that account.
 * rtkit account ids are UUIDs and never start with `host:`. One host issuer
 * can be configured, so the prefix names the kind of issuer rather than its
 * URL, which could not appear in a room or topic name (`/`).
 *
 * @example
 * hostUserId('carol') // 'host:carol'
 */
export function hostUserId(sub: string): string {
  return `${HOST_USER_PREFIX}${sub}`
}
