/** Who is making a request, as established from a verified token. */
export interface Principal {
  /** Token subject: the user id, or `service:<name>` for the bundled bridge. */
  id: string
  username: string
  name: string
  role: Role
}

export const Role = { user: 'user', service: 'service' } as const
export type Role = (typeof Role)[keyof typeof Role]
