import type { Observable } from 'rxjs'
import type { CollectionDescriptor, PublicCollection, UserProfile } from '../contracts/index.ts'
import type { AuthEndpoint } from './auth/host-token.ts'
import type { PendingCommand } from './commands/command.ts'
import type { CommandReceipt } from './commands/receipt.ts'
import type { KitServices, ServiceFactory } from './custom-services.ts'
import type { ConnectionStatus } from './gateways/connection-status.ts'
import type { DocChange } from './live/changes.ts'
import type { LiveDoc } from './live/live-doc.ts'
import type { KitError } from './state/kit-error.ts'
import type { SessionView } from './state/session-status.ts'
import type { KeyValueStorage } from './storage/key-value-storage.ts'

/** Options of `createKit`. */
export interface KitOptions {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:3000`. */
  apiUrl: string
  /** deepstream WebSocket URL, e.g. `ws://127.0.0.1:6020/deepstream`. */
  realtimeUrl: string
  /**
   * Keeps the session token and the offline command queue across reloads.
   * Defaults to `localStorage` in browsers and an in-memory store in Node.
   */
  storage?: KeyValueStorage
  /** Prefix of the storage keys, so two kits on one origin do not collide (default `rtkit`). */
  storageKey?: string
  /** Per-request timeout of HTTP calls in ms (default 10 000). */
  requestTimeoutMs?: number
  /**
   * Sign in the host app's own users: a URL fetched with the page's cookies
   * that answers `{ "token": "…" }` (401 when nobody is signed in), or a
   * function returning the token. The kit asks at start and again before each
   * token expires, keeping the realtime connection and the offline queue;
   * `login` and `register` are then refused (the host signs users in).
   */
  authEndpoint?: AuthEndpoint

  /**
   * Your own async services, by name: each factory is called once, on the
   * first `kit.service(name)`, with the kit's abstractions (see `ServiceContext`).
   *
   * @example
   * createKit({ apiUrl, realtimeUrl, services: { polls: (ctx) => new PollService(ctx) } })
   */
  services?: Readonly<Record<string, ServiceFactory>>
}

/** Status of a live query's initial load or refetch. */
export const QueryStatus = { loading: 'loading', ready: 'ready', error: 'error', forbidden: 'forbidden' } as const
export type QueryStatus = (typeof QueryStatus)[keyof typeof QueryStatus]

/**
 * One partition of a collection, kept live. Every subscriber to the same
 * (collection, partition) shares one topic subscription and one fetch.
 */
export interface LiveQuery<F extends object = Record<string, unknown>> {
  /**
   * The documents of the partition in id order, with pending local commands
   * applied (see {@link LiveDoc}). Emits on every change; subscribe to start
   * (topic first, then HTTP pages), unsubscribe to release.
   */
  watch(): Observable<readonly LiveDoc<F>[]>
  /**
   * `loading` until the first full fetch (and during refetches), then `ready`; `error` if a fetch
   * failed; `forbidden` if the server refused it (403: the user may not read this partition).
   */
  status(): Observable<QueryStatus>
  /**
   * Each change to a document of the partition once the server has it, from
   * anyone: `origin: 'local'` (with the `commandId`) for this kit's own
   * commands, `remote` for everyone else's. Keeps the partition live while
   * subscribed, like `watch()`; what was there at the first fetch is not a change.
   */
  changes(): Observable<DocChange<F>>
}

/**
 * A collection: narrow it to one partition with `where`, write it with
 * `insert`, `update` and `remove` (optimistic, queued offline, confirmed or
 * rolled back, like every command).
 *
 * @example
 * const votes = kit.collection('votes')
 * votes.where({ poll: 'p1' }).watch().subscribe(render) // in the server's declared order
 * votes.insert({ poll: 'p1', choice: 'red' })
 */
export interface CollectionRef<F extends object = Record<string, unknown>> {
  /**
   * @param partition exactly one entry: the collection's partition key and value,
   *   e.g. `{ board: 'launch' }` for tasks or `{ poll: 'p1' }` for an operator's votes
   */
  where(partition: Readonly<Record<string, string>>): LiveQuery<F>
  /**
   * What the server declares about this collection (`GET /collections`): its
   * partition key, order, fields, derived and text fields; `undefined` while
   * signed out or when the server does not declare it. Fetched once per sign-in.
   */
  declared(): Observable<PublicCollection | undefined>
  /** Inserts a document; `fields` include the partition key. Give `id` to choose the document id. */
  insert(fields: Readonly<Partial<F> & Record<string, unknown>> & { id?: string }, options?: InsertOptions): CommandReceipt
  update(id: string, patch: Readonly<Partial<F> & Record<string, unknown>>, options?: WriteOptions): CommandReceipt
  /** Without `options.expectedVersion` the delete is unconditional. */
  remove(id: string, options?: WriteOptions): CommandReceipt
}

/** Extra options of an insert. */
export interface InsertOptions {
  /**
   * The fields the server derives from the caller (the collection's
   * `derive`), to show at once in live queries; never sent. Given the
   * signed-in user, e.g. `(user) => ({ voter: user.id })`.
   */
  derived?: (user: UserProfile) => Readonly<Record<string, unknown>>
}

/** Extra options of the generic commands. */
export interface WriteOptions {
  /**
   * The version the change is based on. Default: the version of the
   * document in a live query of this kit. Required for documents no query has loaded.
   */
  expectedVersion?: number
}

/**
 * The facade: the one entry point components use. Create it with
 * `createKit`, share one per page, `dispose()` it when done.
 *
 * Streams are hot and replay their current value to new subscribers.
 * Commands return at once: their effect shows immediately in live queries
 * (optimistic, marked `pending`), they are sent in issue order, queued and
 * persisted while offline, and either confirmed (the server's document and
 * version replace the optimistic one) or rolled back with an entry in `errors$`.
 *
 * @example
 * const kit = createKit({ apiUrl: 'http://127.0.0.1:3000', realtimeUrl: 'ws://127.0.0.1:6020/deepstream' })
 * await kit.login('alice', 'rtkit-demo')
 * const votes = kit.collection('votes')
 * votes.where({ poll: 'p1' }).watch().subscribe((docs) => console.log(docs.map((vote) => vote.choice)))
 * const { docId } = votes.insert({ poll: 'p1', choice: 'red' })
 * votes.update(docId, { choice: 'blue' })
 *
 * The built-in collections have opt-in shortcuts on this core: `tasksOf(kit)` and `messagesOf(kit)`.
 */
export interface Kit {
  /** Who is signed in. Restored from storage on creation; an expired token signs out. */
  readonly session$: Observable<SessionView>
  /** `host` when the host app signs users in (`authEndpoint`), `accounts` for rtkit's own login and register. */
  readonly authMode: 'accounts' | 'host'
  /** The realtime connection; `closed` while signed out. */
  readonly connection$: Observable<ConnectionStatus>
  /** Commands not yet confirmed, oldest first (`queued` or `sending`). */
  readonly pending$: Observable<readonly PendingCommand[]>
  /** Errors the user has not dismissed yet, oldest first. */
  readonly errors$: Observable<readonly KitError[]>
  /**
   * Users online in realtime, signed-in user included, as public profiles
   * sorted by name. deepstream presence reports user ids (token subjects;
   * service principals such as the bridge are left out); the kit names them
   * through `GET /users?ids=` and caches the profiles. Empty while signed out.
   */
  readonly presence$: Observable<readonly UserProfile[]>

  /**
   * Any collection: by its descriptor, typed and in the descriptor's order
   * (`kit.collection(tasksCollection).where({ board: 'launch' }).watch()`),
   * or by name, in the order the server declares (`GET /collections`), with a
   * type parameter for typed use (`kit.collection<VoteFields>('votes')`).
   */
  collection<F extends object>(descriptor: CollectionDescriptor<F>): CollectionRef<F>
  collection<F extends object = Record<string, unknown>>(name: string): CollectionRef<F>

  /** Signs in; rejects with an `HttpError` (e.g. `UnauthorizedError`) the form can show. */
  login(username: string, password: string): Promise<UserProfile>
  /** Creates an account and signs in; rejects with an `HttpError` (`ConflictError` if taken). */
  register(username: string, password: string, name: string): Promise<UserProfile>
  /**
   * Signs out: the token is revoked on the server, the realtime connection
   * closes. Queued commands stay stored for this user. With an auth endpoint
   * the host's own session is untouched; a reload signs in again.
   */
  logout(): Promise<void>

  /** Generic insert; `fields` must include the partition key. Give `id` to choose the document id. */
  insert(collection: string, fields: Readonly<Record<string, unknown>> & { id?: string }): CommandReceipt
  update(collection: string, id: string, patch: Readonly<Record<string, unknown>>, options?: WriteOptions): CommandReceipt
  /** Without `options.expectedVersion` the delete is unconditional. */
  remove(collection: string, id: string, options?: WriteOptions): CommandReceipt

  // Your own server functions and services.
  /**
   * Calls the server function `name` now (`POST /functions/<name>` with the
   * session's token) and resolves its result; rejects with an `HttpError`
   * subclass (`ValidationError` 422, `ForbiddenError` 403, `NotFoundError`
   * 404, `ServerError` 500, `NetworkError` offline…). Not queued: use
   * {@link Kit.command} for what must survive going offline.
   */
  call<R = unknown>(name: string, input?: unknown): Promise<R>
  /**
   * Calls the server function `name` as a command: queued (and stored) while
   * offline, sent in order with the other commands, exactly once (its command
   * id is the `Idempotency-Key`), and confirmed (`settled` carries `result`)
   * or rejected into `errors$` like a collection write.
   */
  command(name: string, input?: unknown): CommandReceipt
  /** The service `createKit({ services })` registered as `name`, built on first use; typed through `KitServices`. */
  service<K extends keyof KitServices>(name: K): KitServices[K]
  service<S = unknown>(name: string): S

  /** Removes an entry from `errors$`. */
  dismissError(id: string): void
  /** Closes the connection and completes every stream. Pending commands stay in storage. */
  dispose(): Promise<void>
}
