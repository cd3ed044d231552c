import {
  EMPTY,
  catchError,
  concat,
  defer,
  expand,
  filter,
  from,
  map,
  merge,
  mergeMap,
  of,
  switchMap,
  takeUntil,
  type Observable,
} from 'rxjs'
import type { ChangeEvent } from '../../contracts/index.ts'
import { topicFor } from '../../contracts/realtime.ts'
import { ofType, type Action } from '../core/action.ts'
import type { Effect } from '../core/store.ts'
import { UnauthorizedError } from '../gateways/http-errors.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { partitionKey } from '../live/partition-key.ts'
import {
  changeReceived,
  fetchCompleted,
  fetchFailed,
  fetchStarted,
  pageLoaded,
  queryClosed,
  queryOpened,
  refetchRequested,
} from '../state/collections.ts'
import type { KitState } from '../state/root.ts'
import { sessionRestored, signedIn } from '../state/session.ts'
import { SessionStatus } from '../state/session-status.ts'
import { toKitError } from '../state/to-kit-error.ts'
import { expiredSession, type EffectContext } from './effect-context.ts'

function isChangeEvent(value: unknown): value is ChangeEvent {
  const event = value as Partial<ChangeEvent> | null
  if (typeof event?.version !== 'number') return false
  return event.op === 'upsert' ? typeof event.doc?.id === 'string' : event.op === 'remove' && typeof event.id === 'string'
}

/**
 * Live queries: when a partition gets its first watcher, subscribe to its
 * topic FIRST, then fetch every page over HTTP; fetch again on reconnect,
 * resync and sign-in. A newer fetch cancels an older one (`switchMap`). All
 * stops when the last watcher leaves.
 */
export function liveQueryEffects(context: EffectContext): Effect<KitState> {
  function fetchAll(state: KitState, ref: PartitionRef): Observable<Action> {
    if (state.session.status !== SessionStatus.signedIn) return EMPTY
    const pages$ = context.http.list(ref, { limit: context.pageSize }).pipe(
      expand((page) => (page.nextCursor ? context.http.list(ref, { limit: context.pageSize, cursor: page.nextCursor }) : EMPTY)),
      map((page): Action => pageLoaded({ ref, items: page.items })),
    )
    return concat(of(fetchStarted({ ref })), pages$, of(fetchCompleted({ ref }))).pipe(
      catchError((error: unknown) => {
        const failed = fetchFailed({ ref, error: toKitError(error, { id: context.newId(), at: context.now(), query: ref }) })
        if (!(error instanceof UnauthorizedError)) return of(failed)
        return of(failed, expiredSession(context))
      }),
    )
  }

  return (actions$, state$) => {
    const queries$ = actions$.pipe(
      ofType(queryOpened),
      filter((action) => state$.value.collections[partitionKey(action.ref)]?.watchers === 1),
      mergeMap(({ ref }) => {
        const key = partitionKey(ref)
        const closed$ = actions$.pipe(
          ofType(queryClosed),
          filter((action) => partitionKey(action.ref) === key && !state$.value.collections[key]),
        )
        const topic = topicFor(ref.collection, ref.value)
        // Subscribed before the first fetch starts, so nothing written during the fetch is missed.
        const events$ = context.realtime.event$(topic).pipe(
          filter(isChangeEvent),
          map((event): Action => changeReceived({ collection: ref.collection, partition: ref.value, event })),
        )
        const triggers$ = merge(of(null), actions$.pipe(ofType(refetchRequested, signedIn, sessionRestored)))
        // Read only once the server confirms the subscription, so no write falls in between.
        const fetches$ = triggers$.pipe(
          switchMap(() => from(context.realtime.subscribed(topic)).pipe(switchMap(() => defer(() => fetchAll(state$.value, ref))))),
        )
        return merge(events$, fetches$).pipe(takeUntil(closed$))
      }),
    )

    return queries$
  }
}
