/**
 * The parts of `reqlite` the embedded database builds on, imported
 * statically (a bundler follows these; it does not follow `createRequire`)
 * and given the shapes this code relies on. reqlite is a ReQL server in
 * JavaScript that speaks RethinkDB's wire protocol; everything here is
 * internal to it, so it is pinned in package.json and used in this folder only.
 */
import type { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
// index.js first: it loads reqlite's modules in the order their circular requires expect.
import ServerModule from 'reqlite/lib/index.js'
import ConnectionModule from 'reqlite/lib/connection.js'
import DatabaseModule from 'reqlite/lib/database.js'
import QueryModule from 'reqlite/lib/query.js'
import SelectionModule from 'reqlite/lib/selection.js'
import utilModule from 'reqlite/lib/utils.js'
import protodefModule from 'reqlite/lib/protodef.js'
import errorModule from 'reqlite/lib/error.js'

/** A ReQL term as sent on the wire: `[type, args, optargs]`, or a datum. */
export type Term = unknown

/** One stored row: reqlite keeps the datum in `doc` and mutates it in place. */
export interface ReqliteDocument extends EventEmitter {
  doc: Record<string, unknown>
}

export interface IndexDefinition {
  fn: Term
  function: object
  geo: boolean
  multi: boolean
  outdated: boolean
  ready: boolean
}

/** A table; emits `change` ({ old_val, new_val }) synchronously inside every write. */
export interface Table extends EventEmitter {
  name: string
  /** Name of its database. */
  db: string
  options: { primaryKey: string }
  /** By reqlite's internal key of the primary key value. */
  documents: Record<string, ReqliteDocument>
  indexes: Record<string, IndexDefinition>
  _singleInsert(doc: unknown, options: { conflict: 'replace' }): unknown
  _delete(doc: ReqliteDocument, options: object): unknown
}

export interface Database {
  name: string
  tables: Record<string, Table>
  tableCreate(name: string, options: { primary_key?: string }): unknown
}

export interface Server {
  databases: Record<string, Database>
  protocolVersion: number
  authKey: string
  minProtocolVersion: number
  maxProtocolVersion: number
  _connections: Record<string, { connection: Socket }>
}

/** One client connection: a small state machine over the socket (handshake, then queries). */
export interface ReqliteConnection {
  id: number
  server: Server
  /** Queries still streaming (changefeeds), by token. */
  queries: Record<number, ReqliteQuery>
  state: number
  buffer: Buffer
  ignoreIncoming: boolean
  user: string | undefined
  clientNonce: string | undefined
  salt: string
  iterations: number
  connection: Socket
  read(): void
  handleQuery(token: number, queryText: string): void
  send(token: number, response: unknown): void
  getFullNonce(): string
  getAuthentication(): string
}

export interface ConnectionOptions {
  version: number
  authKey: string
  minProtocolVersion: number
  maxProtocolVersion: number
}

/** A query being evaluated; `evaluate` turns a term into a value (often a promise). */
export interface Query {
  evaluate(term: Term, internalOptions: unknown): unknown
  frames: unknown[]
}

/** A whole query as received, run to its first response. */
export interface ReqliteQuery {
  run(): Promise<unknown>
  isComplete(): boolean
  /** What it evaluated to; a {@link Changefeed} for `changes()`. */
  result?: unknown
}

/** A response as framed on the wire: its type and its rows. */
export interface WireResponse {
  t: number
  r: unknown[]
  n?: unknown[]
}

/** A running `changes()`: responses wait in `buffer` until the client asks for more. */
export interface Changefeed {
  buffer: WireResponse[]
  /** Calls `answer` with the next response: at once when one is buffered, else when the next change comes. */
  onNext(answer: (response: WireResponse) => void): void
}

export interface Selection {
  push(doc: ReqliteDocument): void
}

export interface ReqliteUtil {
  lt(left: unknown, right: unknown): boolean
  eq(left: unknown, right: unknown): boolean
  isSequence(value: unknown): value is { length: number; get(i: number): unknown }
  makeInternalPk(value: unknown): string
  toDatum(value: unknown): unknown
  revertDatum(value: unknown): unknown
  isChanges(value: unknown): value is Changefeed
}

export const Server = ServerModule as {
  new (options: { silent: boolean }): Server
  prototype: Server & { _createServer(): unknown }
}
export const Connection = ConnectionModule as new (socket: Socket, server: Server, options: ConnectionOptions) => ReqliteConnection
export const Database = DatabaseModule as { new (name: string): Database; prototype: Database }
export const QueryPrototype = (QueryModule as { prototype: Record<string, (...args: unknown[]) => unknown> }).prototype
export const Query = QueryModule as new (server: Server, ast: unknown, options: object, token: number) => ReqliteQuery
export const Selection = SelectionModule as new (docs: ReqliteDocument[], table: Table, args: object) => Selection
export const util = utilModule as ReqliteUtil
/**
 * reqlite's runtime error: thrown while a query is evaluated, it is answered as
 * RethinkDB's RUNTIME_ERROR with this message (any other error is answered
 * with no response type at all, which the driver reports as "Unknown response type").
 */
export const ReqlRuntimeError = (errorModule as { ReqlRuntimeError: new (message: string) => Error }).ReqlRuntimeError
const protodef = protodefModule as {
  Term: { TermType: Record<string, number> }
  Query: { QueryType: Record<string, number> }
  Response: { ResponseType: Record<string, number> }
}
export const termTypes = protodef.Term.TermType
export const queryTypes = protodef.Query.QueryType
export const responseTypes = protodef.Response.ResponseType
