import {
  EMPTY,
  catchError,
  concat,
  defer,
  distinctUntilChanged,
  filter,
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
  withLatestFrom,
  type Observable,
} from 'rxjs'
import type { Command } from '../commands/command.ts'
import { failureOutcome, type SendOutcome } from '../commands/send-outcome.ts'
import { ofType, type Action } from '../core/action.ts'
import type { Effect } from '../core/store.ts'
import { backoffDelay } from '../gateways/retry-policy.ts'
import { commandConfirmed, commandRejected, commandsRestored, sendDeferred, sendStarted } from '../state/commands.ts'
import { httpReached, httpRetryDue, httpUnreachable } from '../state/connection.ts'
import type { KitState } from '../state/root.ts'
import { selectKnownVersion, selectNextCommand } from '../state/selectors.ts'
import { sessionExpired, sessionRestored, signedIn } from '../state/session.ts'
import { SessionStatus } from '../state/session-status.ts'
import { toKitError } from '../state/to-kit-error.ts'
import { LatestWrites } from '../storage/latest-writes.ts'
import { queueStorageKey, type EffectContext } from './effect-context.ts'

/** Backoff between HTTP reachability retries while offline. */
const OFFLINE_RETRY = { baseDelayMs: 1000, maxDelayMs: 15_000 }

function isCommand(value: unknown): value is Command {
  const command = value as Partial<Command> | null
  return (
    typeof command?.id === 'string' &&
    typeof command.docId === 'string' &&
    typeof command.collection === 'string' &&
    (command.op === 'insert' || command.op === 'update' || command.op === 'remove')
  )
}

/**
 * The command pipeline: load the user's stored queue after sign-in, keep
 * storage in step with the queue, send the queue head one at a time (so
 * commands reach the server in issue order), and retry with backoff while
 * the server is unreachable.
 */
export function commandEffects(context: EffectContext): Effect<KitState> {
  function send(command: Command): Observable<SendOutcome> {
    // A command built on an insert that never got stored cannot succeed.
    if (command.op === 'update' && command.expectedVersion === 0) {
      return of({ kind: 'rejected', error: new Error('the document was never stored, so it cannot be changed') })
    }
    const request$: Observable<SendOutcome> =
      command.op === 'insert'
        ? context.http.insert(command.collection, { ...command.fields, id: command.docId }).pipe(map((doc) => ({ kind: 'confirmed', doc })))
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
        return [httpReached({}), commandConfirmed({ command, doc: outcome.doc, removed })]
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
        return [
          sessionExpired({ errorId: context.newId(), at: context.now(), message: 'Your session has expired; please sign in again.' }),
          sendDeferred({ id: command.id }),
        ]
    }
  }

  // In order and latest last: with async storage an older queue must never overwrite a newer one.
  const writes = new LatestWrites(context.storage, 'the command queue')

  return (actions$, state$) => {
    const load$ = actions$.pipe(
      ofType(signedIn, sessionRestored),
      switchMap((action) =>
        defer(async () => {
          // The user's queue may still be being written (a re-login of the same user): read the latest.
          const key = queueStorageKey(context, action.session.user.id)
          await writes.written(key)
          return context.storage.get(key)
        }).pipe(
          map((raw) => {
            const stored: unknown = raw ? JSON.parse(raw) : []
            const commands = Array.isArray(stored) ? stored.filter(isCommand).filter((c) => c.userId === action.session.user.id) : []
            return commandsRestored({ commands })
          }),
          catchError(() => of(commandsRestored({ commands: [] }))),
        ),
      ),
    )

    const persist$ = state$.pipe(
      filter((state) => state.session.status === SessionStatus.signedIn && state.commands.loaded && state.session.user !== null),
      map((state) => ({ userId: state.session.user!.id, queue: state.commands.queue })),
      distinctUntilChanged((a, b) => a.userId === b.userId && a.queue === b.queue),
      tap(({ userId, queue }) => {
        // Only this user's commands go under this user's key (the reducer never mixes them; this makes sure).
        const own = queue.filter((command) => command.userId === userId)
        writes.write(queueStorageKey(context, userId), own.length === 0 ? null : JSON.stringify(own))
      }),
      ignoreElements(),
    )

    const send$ = state$.pipe(
      map(selectNextCommand),
      distinctUntilChanged(),
      filter((command): command is Command => command !== null),
      mergeMap((command) => {
        // The gateway reads the token at each attempt: once the issuer's session ends, stop, so no retry
        // goes out with the next user's token. The command is still stored under its issuer's key and
        // replays (idempotently) at their next sign-in.
        const sessionLeft$ = state$.pipe(
          filter((state) => state.session.user?.id !== command.userId),
          take(1),
          map(() => [sendDeferred({ id: command.id })]),
        )
        const settled$ = send(command).pipe(
          withLatestFrom(state$),
          map(([outcome, state]) => settle(command, outcome, state)),
        )
        return concat(of(sendStarted({ id: command.id })), race(settled$, sessionLeft$).pipe(mergeMap((actions) => actions)))
      }),
    )

    const retry$ = state$.pipe(
      map((state) => (state.connection.httpReachable ? 0 : state.connection.httpFailures)),
      distinctUntilChanged(),
      switchMap((failures) => (failures === 0 ? EMPTY : timer(backoffDelay(OFFLINE_RETRY, failures)).pipe(map(() => httpRetryDue({}))))),
    )

    return merge(load$, persist$, send$, retry$)
  }
}
