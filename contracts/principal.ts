import type { AccessGrants } from './access.ts'

/** Who is making a request, as established from a verified token. */
export interface Principal {
  /** Token subject: the user id, or `service:<name>` for the bundled bridge. */
  id: string
  username: string
  name: string
  role: Role
  /** A host-issued token's `access` claim; absent: the collection rules alone decide. */
  access?: AccessGrants | undefined
}

export const Role = { user: 'user', service: 'service' } as const
export type Role = (typeof Role)[keyof typeof Role]
