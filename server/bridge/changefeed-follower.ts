import r from 'rethinkdb'
import type { Connection, Cursor } from 'rethinkdb'
import type { Collection } from '../collections/collection.ts'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../../contracts/backoff.ts'
import type { TableChange } from './change-events.ts'
import type { Logger } from '../lib/log.ts'

/** Something with a table to follow: a collection declaration, or any table by name. */
export interface FollowedTable {
  readonly name: string
}

/** Options of {@link followChanges}. */
export interface FollowOptions<T extends FollowedTable = Collection> {
  /** Opens a connection of the follower's own, so its faults stay isolated. */
  connect(): Promise<Connection>
  collections: readonly T[]
  /** Called for every change; a throw is logged and the change skipped. */
  onChange(declaration: T, change: TableChange): void
  /** Called once the feeds are back after a lost connection: changes may have been missed. */
  onResumed(): void
  log: Logger
  backoff?: BackoffPolicy
}

/** A running follower. */
export interface ChangefeedFollower {
  /** Settles once every feed is following for the first time. */
  readonly ready: Promise<void>
  /** Whether every feed is following now. */
  readonly following: boolean
  close(): Promise<void>
}

/** Thrown by `ready` when the follower is closed before it ever followed. */
export class FollowerClosedError extends Error {
  override name = 'FollowerClosedError'
}

/** Resolves when `conn` closes or errors; the driver then fails every cursor. */
function lost(conn: Connection): Promise<void> {
  // The driver's connection is an EventEmitter; @types/rethinkdb omits it.
  const events = conn as unknown as NodeJS.EventEmitter
  return new Promise((resolve) => {
    events.once('close', () => resolve())
    // `on`, not `once`: an unheard 'error' event would crash the process.
    events.on('error', () => resolve())
  })
}

/**
 * Follows each collection's whole table with `r.table(name).changes()` (the
 * embedded server supports whole-table feeds, not `filter`/`getAll` ones).
 * When the connection drops, it reconnects with a bounded, jittered backoff,
 * restarts every feed and calls `onResumed`, because changes made while it
 * was away are not replayed by a fresh feed.
 *
 * @example
 * const follower = followChanges({ connect, collections: Object.values(collections), onChange, onResumed, log })
 * await follower.ready
 */
export function followChanges<T extends FollowedTable = Collection>(options: FollowOptions<T>): ChangefeedFollower {
  let closed = false
  let following = false
  let current: Connection | undefined
  let wake: (() => void) | undefined
  let markReady!: () => void
  let failReady!: (error: Error) => void
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve
    failReady = reject
  })
  // `ready` may never be awaited by a caller that gave up; do not crash on it.
  ready.catch(() => undefined)

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  async function drain(declaration: T, cursor: Cursor): Promise<void> {
    for (;;) {
      const change = (await cursor.next()) as TableChange
      try {
        options.onChange(declaration, change)
      } catch (error) {
        options.log.warn({ err: error }, `skipped a change of ${declaration.name}`)
      }
    }
  }

  /** Starts every feed on `conn`; returns once all are registered. */
  async function followRound(conn: Connection): Promise<Array<Promise<void>>> {
    const connectionLost = lost(conn)
    const cursors = await Promise.all(options.collections.map((declaration) => r.table(declaration.name).changes().run(conn)))
    // A feed ends only by failing, and the driver fails them all when the
    // connection goes; whichever comes first ends this round.
    return [...options.collections.map((declaration, index) => drain(declaration, cursors[index]!)), connectionLost]
  }

  async function run(): Promise<void> {
    let attempt = 0
    let followedBefore = false
    while (!closed) {
      try {
        current = await options.connect()
        if (closed) break
        const round = await followRound(current)
        attempt = 0
        following = true
        if (followedBefore) resumed()
        else markReady()
        followedBefore = true
        await Promise.race(round)
        if (!closed) options.log.warn('database connection lost')
      } catch (error) {
        if (!closed) options.log.warn({ err: error }, 'changefeed failed')
      } finally {
        following = false
        await current?.close({ noreplyWait: false }).catch(() => undefined)
        current = undefined
      }
      if (closed) break
      const delay = backoffDelay(attempt++, options.backoff ?? DEFAULT_BACKOFF)
      options.log.warn(`reconnecting to the database in ${Math.round(delay)} ms`)
      await sleep(delay)
    }
    failReady(new FollowerClosedError('the changefeed follower was closed before it followed'))
  }

  function resumed(): void {
    try {
      options.onResumed()
    } catch (error) {
      options.log.warn({ err: error }, 'announcing the resumed changefeed failed')
    }
  }

  const running = run()
  return {
    ready,
    get following() {
      return following
    },
    close: async () => {
      closed = true
      wake?.()
      await current?.close({ noreplyWait: false }).catch(() => undefined)
      await running
    },
  }
}
