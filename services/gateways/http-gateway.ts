import type { Observable } from 'rxjs'
import type { CollectionsAnswer, Doc, Page, Session, UserProfile } from '../../contracts/index.ts'

/** One partition of a collection: its partition key and value. */
export interface PartitionRef {
  readonly collection: string
  readonly key: string
  readonly value: string
}

/** Result of `DELETE /collections/:name/:id`. */
export interface Removed {
  readonly id: string
  /** One past the deleted document's version, like the realtime remove event. */
  readonly version: number
}

/**
 * The HTTP API as Observables. Each call is cold: subscribing sends the
 * request, unsubscribing aborts it. Failures are `HttpError` subclasses.
 *
 * Tests inject the real implementation pointed at a real server; the
 * interface is here so other transports (or a recording proxy) can be used.
 */
export interface HttpGateway {
  login(username: string, password: string): Observable<Session>
  register(username: string, password: string, name: string): Observable<Session>
  /** The signed-in user; `token` checks that token instead of the session's. */
  me(token?: string): Observable<{ user: UserProfile }>
  /** Revokes the session's token on the server (`POST /auth/logout`). */
  logout(): Observable<unknown>
  /** Public profiles of the given user ids (unknown ids are left out). */
  users(ids: readonly string[]): Observable<{ users: UserProfile[] }>
  /** The collections the server declares, each's public half (`GET /collections`). */
  collections(): Observable<CollectionsAnswer>
  list(partition: PartitionRef, page?: { limit?: number; cursor?: string | null }): Observable<Page<Doc>>
  /** 201 new, or 200 when a document with `doc.id` exists already: both emit the stored document. */
  insert(collection: string, doc: Readonly<Record<string, unknown>> & { id: string }): Observable<Doc>
  update(collection: string, id: string, expectedVersion: number, patch: Readonly<Record<string, unknown>>): Observable<Doc>
  remove(collection: string, id: string, expectedVersion?: number): Observable<Removed>
  /**
   * Calls the server function `name` (`POST /functions/:name`) and emits its
   * result. With `idempotencyKey` a repeat (a retry, a replay) gets the first
   * call's answer instead of running it again.
   */
  call(name: string, input: unknown, options?: { idempotencyKey?: string }): Observable<unknown>
}
