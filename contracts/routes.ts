/**
 * The HTTP API's paths. The server's route table maps each to a handler
 * module; the client builds URLs from the same helpers.
 */
export const paths = {
  register: '/auth/register',
  login: '/auth/login',
  me: '/auth/me',
  /** `POST` → `{ revoked: true }`: the bearer token stops working. */
  logout: '/auth/logout',
  /** `GET /users?ids=a,b` → `{ users: UserProfile[] }` */
  users: '/users',
  collection: (name: string) => `/collections/${encodeURIComponent(name)}`,
  document: (name: string, id: string) => `/collections/${encodeURIComponent(name)}/${encodeURIComponent(id)}`,
} as const

/** Query parameters of `GET /collections/:name` besides the partition key. */
export interface ListQuery {
  limit?: number
  cursor?: string
}

export const DEFAULT_PAGE_SIZE = 500
export const MAX_PAGE_SIZE = 1000
