/**
 * `PollService`: the poll's own async service, injected into the kit with
 * `createKit({ services: { polls: (ctx) => new PollService(ctx) } })` (or
 * `<rt-provider>`'s `services`, or `configure`) and reached by the widget
 * with `kit.service('polls')`. It wraps the `close-poll` function and the
 * live queries of `polls` (who created a poll) and `results` (its tally),
 * using only the kit's abstractions (`ServiceContext`), never a socket.
 */
import { map, type Observable } from 'rxjs'
import type { CommandReceipt, ServiceContext } from 'rtkit/services'
import { creatorOf } from './choices.mjs'

/** The tally `close-poll` writes: counts per choice, the total, who closed it and when. */
export interface PollResults {
  poll: string
  counts: Record<string, number>
  total: number
  closedBy: string
  closedAt: string
}

export class PollService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The poll's results, live: `undefined` while it is open, the tally once someone closed it. */
  results$(poll: string): Observable<PollResults | undefined> {
    return this.ctx
      .collection<PollResults>('results')
      .where({ poll })
      .watch()
      .pipe(map((docs) => docs[0]))
  }

  /** The id of the poll's creator, live; `undefined` until the server has stored who opened it first. */
  creator$(poll: string): Observable<string | undefined> {
    return this.ctx
      .collection('polls')
      .where({ poll })
      .watch()
      .pipe(map((docs) => creatorOf(docs.filter((doc) => doc.version > 0))))
  }

  /** Whether the poll's `polls` partition has loaded, so an empty one means nobody opened it yet. */
  loaded$(poll: string) {
    return this.ctx.collection('polls').where({ poll }).status()
  }

  /** Records that the signed-in user opened `poll`; the first to do so is its creator. */
  open(poll: string): CommandReceipt {
    return this.ctx.collection('polls').insert({ poll })
  }

  /**
   * Closes the poll now (`close-poll`): only its creator may. Rejects with the
   * kit's typed errors: `ForbiddenError` (403) for anyone else,
   * `ConflictError` (409) when it is closed already, `NetworkError` offline.
   */
  close(poll: string): Promise<PollResults> {
    return this.ctx.call<PollResults>('close-poll', { poll })
  }
}

declare module 'rtkit/services' {
  interface KitServices {
    polls: PollService
  }
}
