/**
 * Document shapes shared by the client and the server.
 *
 * Every stored document carries the same metadata: a client-generated `id`
 * (UUID), a server-incremented `version`, ISO-8601 timestamps and the id of the
 * user who created it.
 */

/** Metadata the server sets on every document. */
export interface DocMeta {
  /** Client-generated UUID; repeating an insert with the same id is a no-op. */
  readonly id: string
  /** Starts at 1 and grows by one on every write. */
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
  /** User id (token subject) of the creator. */
  readonly createdBy: string
}

/** Any stored document: its own fields plus {@link DocMeta}. */
export type Doc<T extends object = Record<string, unknown>> = T & DocMeta

/** The public profile of a user, as returned by the auth routes and shown in presence. */
export interface UserProfile {
  id: string
  username: string
  name: string
}

/** A page of documents from `GET /collections/:name`. */
export interface Page<T> {
  items: T[]
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null
}

/** Response of `POST /auth/login` and `POST /auth/register`. */
export interface Session {
  token: string
  user: UserProfile
  /** Expiry of `token`, seconds since the epoch. */
  expiresAt: number
}
