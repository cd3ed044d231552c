import {
  EMPTY,
  catchError,
  concat,
  defer,
  exhaustMap,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  race,
  switchMap,
  take,
  tap,
  timer,
  type Observable,
} from 'rxjs'
import type { Command } from '../commands/command.ts'
import { failureOutcome, type SendOutcome } from '../commands/send-outcome.ts'
import { ofType, type Action } from '../core/action.ts'
import { createSelector, select, type Selector } from '../core/selector.ts'
import type { Effect } from '../core/store.ts'
import { retryDelay } from '../gateways/retry-policy.ts'
import { commandConfirmed, commandRejected, commandsAdopted, commandsRestored, sendDeferred, sendStarted } from '../state/commands.ts'
import { httpReached, httpRetryDue, httpUnreachable, realtimeStatusChanged } from '../state/connection.ts'
import type { KitState } from '../state/root.ts'
import { selectNextCommand } from '../state/next-command.ts'
import { selectKnownVersion } from '../state/selectors.ts'
import { sessionRestored, signedIn } from '../state/session.ts'
import { SessionStatus } from '../state/session-status.ts'
import { toKitError } from '../state/to-kit-error.ts'
import { ConnectionStatus } from '../gateways/connection-status.ts'
import { LatestWrites } from '../storage/latest-writes.ts'
import { QueueStore } from '../storage/queue-store.ts'
import { expiredSession, type EffectContext } from './effect-context.ts'

/** Backoff between HTTP reachability retries while offline. */
const OFFLINE_RETRY = { baseDelayMs: 1000, maxDelayMs: 15_000 }

/** How often an open tab looks for queues that closed tabs left (where tabs can be told apart exactly). */
const ADOPT_INTERVAL_MS = 3_000

/** The signed-in user's id once their queue is loaded; `null` otherwise. */
function selectLoadedUserId(state: KitState): string | null {
  return state.session.status === SessionStatus.signedIn && state.commands.loaded ? (state.session.user?.id ?? null) : null
}

/** What to keep in storage: the loaded queue and whose it is, the same object while neither changes; `null` before it loads. */
const selectSavedQueue: Selector<KitState, { userId: string; queue: readonly Command[] } | null> = createSelector(
  [(state: KitState) => state.commands.queue, selectLoadedUserId],
  (queue, userId) => (userId === null ? null : { userId, queue }),
)

/**
 * The command pipeline: load the user's stored queue after sign-in, keep
 * storage in step with the queue, send the queue head one at a time (so
 * commands reach the server in issue order), and retry with backoff while
 * the server is unreachable. Each tab keeps and sends a queue of its own and
 * takes over the queues that closed tabs left (`storage/queue-store.ts`), so
 * two tabs of one user neither lose nor repeat a command.
 */
export function commandEffects(context: EffectContext): Effect<KitState> {
  function send(command: Command): Observable<SendOutcome> {
    // A command built on an insert that never got stored cannot succeed.
    if (command.op === 'update' && command.expectedVersion === 0) {
      return of({ kind: 'rejected', error: new Error('the document was never stored, so it cannot be changed') })
    }
    const request$: Observable<SendOutcome> =
      command.op === 'call'
        ? context.http
            .call(command.function, command.input, { idempotencyKey: command.id })
            .pipe(map((result) => ({ kind: 'confirmed', result })))
        : command.op === 'insert'
          ? context.http
              .insert(command.collection, { ...command.fields, id: command.docId })
              .pipe(map((doc) => ({ kind: 'confirmed', doc })))
          : command.op === 'update'
            ? context.http
                .update(command.collection, command.docId, command.expectedVersion, command.patch)
                .pipe(map((doc) => ({ kind: 'confirmed', doc })))
            : context.http
                .remove(command.collection, command.docId, command.expectedVersion)
                .pipe(map((removed) => ({ kind: 'confirmed', removed })))
    return request$.pipe(catchError((error: unknown) => of(failureOutcome(command, error))))
  }

  function settle(command: Command, outcome: SendOutcome, state: KitState): Action[] {
    switch (outcome.kind) {
      case 'confirmed': {
        // A delete that found nothing (a replay): tombstone one past what we held.
        const removed =
          outcome.removed ??
          (command.op === 'remove'
            ? { id: command.docId, version: (selectKnownVersion(command.collection, command.docId)(state) ?? -1) + 1 }
            : undefined)
        const result = command.op === 'call' ? { result: outcome.result } : {}
        return [httpReached({}), commandConfirmed({ command, doc: outcome.doc, removed, ...result })]
      }
      case 'rejected': {
        const error = toKitError(outcome.error, { id: context.newId(), at: context.now(), command, current: outcome.current })
        return [httpReached({}), commandRejected({ command, error })]
      }
      // Sending is stopped first, then the command released: released first, it would be
      // sent again at once (no backoff, or with the token that just failed).
      case 'deferred':
        return [httpUnreachable({}), sendDeferred({ id: command.id })]
      case 'unauthorized':
        return [expiredSession(context), sendDeferred({ id: command.id })]
    }
  }

  // In order and latest last: with async storage an older queue must never overwrite a newer one.
  const writes = new LatestWrites(context.storage, 'the command queue')
  const queues = new QueueStore(context.storage, context.storageKey, context.tabs, writes, () => Date.parse(context.now()))

  return (actions$, state$) => {
    /** The signed-in user's queue as this tab holds it, once loaded; `undefined` before. */
    let saved: { userId: string; queue: readonly Command[] } | undefined

    // A session that began before these effects started (they load with the signed-in half, on its
    // way to sign-in) is loaded at once, like one that begins later.
    const begun$ = state$.pipe(
      take(1),
      filter((state) => state.session.status === SessionStatus.signedIn && state.session.user !== null),
      map((state) => state.session.user!.id),
    )
    const load$ = merge(begun$, actions$.pipe(ofType(signedIn, sessionRestored)).pipe(map((action) => action.session.user.id))).pipe(
      switchMap((userId) =>
        defer(() => queues.load(userId)).pipe(
          map((commands) => commandsRestored({ commands })),
          catchError(() => of(commandsRestored({ commands: [] }))),
        ),
      ),
    )

    const persist$ = state$.pipe(
      select(selectSavedQueue),
      filter((current) => current !== null),
      // Only this user's commands go under this user's key (the reducer never mixes them; save makes sure).
      tap((current) => {
        saved = current
        queues.save(current.userId, current.queue)
      }),
      ignoreElements(),
    )

    // Queues of closed tabs: looked for when the connection comes back (they may have closed while
    // offline) and, where open tabs can be told exactly, every few seconds.
    const adopt$ = state$.pipe(
      select(selectLoadedUserId),
      switchMap((userId) => {
        if (userId === null) return EMPTY
        const reconnected$ = actions$
          .pipe(ofType(realtimeStatusChanged, httpReached))
          .pipe(filter((action) => !realtimeStatusChanged.is(action) || action.status === ConnectionStatus.open))
        return merge(reconnected$, context.tabs.exact ? timer(ADOPT_INTERVAL_MS, ADOPT_INTERVAL_MS) : EMPTY).pipe(
          exhaustMap(() =>
            defer(() => queues.adopt(userId, saved?.userId === userId ? saved.queue : [])).pipe(catchError(() => of([] as Command[]))),
          ),
          filter((commands) => commands.length > 0),
          map((commands) => commandsAdopted({ commands })),
        )
      }),
    )

    const send$ = state$.pipe(
      select(selectNextCommand),
      filter((command): command is Command => command !== null),
      mergeMap((command) => {
        // The gateway reads the token at each attempt: once the issuer's session ends, stop, so no retry
        // goes out with the next user's token. The command is still stored under its issuer's key and
        // replays (idempotently) at their next sign-in.
        const sessionLeft$ = state$.pipe(
          select((state) => state.session.user?.id !== command.userId),
          filter((left) => left),
          take(1),
          map(() => [sendDeferred({ id: command.id })]),
        )
        const settled$ = send(command).pipe(map((outcome) => settle(command, outcome, state$.value)))
        return concat(of(sendStarted({ id: command.id })), race(settled$, sessionLeft$).pipe(mergeMap((actions) => actions)))
      }),
    )

    const retry$ = state$.pipe(
      select((state) => (state.connection.httpReachable ? 0 : state.connection.httpFailures)),
      switchMap((failures) => (failures === 0 ? EMPTY : timer(retryDelay(OFFLINE_RETRY, failures)).pipe(map(() => httpRetryDue({}))))),
    )

    return merge(load$, persist$, adopt$, send$, retry$).pipe(
      finalize(() => {
        // The kit was disposed (the tab is closing), not restarted after a failure: mark what is still
        // queued as released, so that another tab takes it over at once (Web Locks tell it anyway).
        if (context.tabs.released && saved && saved.queue.length > 0) queues.save(saved.userId, saved.queue, true)
      }),
    )
  }
}
