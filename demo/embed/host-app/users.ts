/**
 * The host app's own users: in a real app, its user database. rtkit never
 * sees these passwords; it sees only the tokens `/rtkit/token` signs, with
 * each user's id, name and `access` claim (which boards and rooms they may
 * read or write, see README "Signing in your own users").
 */
export interface HostUser {
  id: string
  name: string
  password: string
  access: Record<string, 'read' | 'write'>
}

const ACME = { 'tasks/acme-*': 'write', 'messages/acme-*': 'write' } as const

export const HOST_USERS: Record<string, HostUser> = {
  carol: { id: 'acme-carol', name: 'Carol Diaz', password: 'host-demo', access: { ...ACME } },
  dave: { id: 'acme-dave', name: 'Dave Ito', password: 'host-demo', access: { ...ACME } },
  // A contractor: her own board only, nothing of Acme's.
  erin: { id: 'ext-erin', name: 'Erin Novak', password: 'host-demo', access: { 'tasks/erin-*': 'write' } },
}
