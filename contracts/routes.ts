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
  /** `GET` → {@link CollectionsAnswer}: every collection the server declares. */
  collections: '/collections',
  collection: (name: string) => `/collections/${encodeURIComponent(name)}`,
  document: (name: string, id: string) => `/collections/${encodeURIComponent(name)}/${encodeURIComponent(id)}`,
  /** `POST` with the input as body → {@link FunctionAnswer}: an operator's own function. */
  function: (name: string) => `/functions/${encodeURIComponent(name)}`,
} as const

/** What `POST /functions/<name>` answers on success. */
export interface FunctionAnswer<R = unknown> {
  result: R
}

/**
 * The header that makes a function call idempotent: a repeat with the same
 * key by the same user within {@link IDEMPOTENCY_WINDOW_MS} gets the first
 * answer instead of running again. The kit sends a command's id.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key'
/** How long a function call's answer is kept for its repeats: 24 hours. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * The public half of a declared collection, as `GET /collections` answers it
 * to signed-in users: what a client needs to query, order and write it
 * without sharing any code with the server.
 */
export interface PublicCollection {
  name: string
  /** The field that splits the collection into partitions (topics `<name>/<partition>`). */
  partitionKey: string
  /** How a partition sorts, then by id. */
  order: string[]
  /** The declared fields, partition key first. */
  fields: string[]
  /** Fields the server sets from the caller on create; a body carrying one gets 422. */
  derived: string[]
  /** Text fields the server stores trimmed and in NFC (`text()`); the client normalises them alike. */
  textFields: string[]
}

/** Body of `GET /collections`. */
export interface CollectionsAnswer {
  collections: PublicCollection[]
}

/** Query parameters of `GET /collections/:name` besides the partition key. */
export interface ListQuery {
  limit?: number
  cursor?: string
}

export const DEFAULT_PAGE_SIZE = 500
export const MAX_PAGE_SIZE = 1000
