import { distinctUntilChanged, map, Observable, switchMap } from 'rxjs'
import { compareByFields } from '../contracts/compare-by-fields.ts'
import type { CollectionDescriptor, PublicCollection, UserProfile } from '../contracts/index.ts'
import type { Store } from './core/store.ts'
import { commandEffects } from './effects/command-effects.ts'
import type { EffectContext, SessionContext } from './effects/effect-context.ts'
import { hostSessionEffects } from './effects/host-session-effects.ts'
import { liveQueryEffects } from './effects/live-query-effects.ts'
import { realtimeEffects } from './effects/realtime-effects.ts'
import { DeepstreamGateway } from './gateways/deepstream-gateway.ts'
import type { PartitionRef } from './gateways/http-gateway.ts'
import type { RealtimeGateway } from './gateways/realtime-gateway.ts'
import type { DocChange } from './live/changes.ts'
import type { LiveDoc } from './live/live-doc.ts'
import { partitionViews } from './live/partition-views.ts'
import { presenceProfiles } from './live/presence.ts'
import { serverCollections } from './live/server-collections.ts'
import { collectionsReducer } from './state/collections-reducer.ts'
import type { KitState } from './state/root.ts'
import { selectSessionView } from './state/selectors.ts'
import { tabPresence } from './storage/tab-presence.ts'

/**
 * The signed-in half of a kit: what only a session needs (the realtime
 * connection, live queries, sending the command queue, presence, the
 * server's collections). `createKit` loads this module with a dynamic import
 * when a session is on its way (`signed-in-loader.ts`), so a bundler puts it
 * in a chunk a signed-out page never fetches, as the board loads
 * `board-parts.ts`. Until it is there the kit's streams wait for it and its
 * writes queue in the store; its effects start from the state as it is then
 * (a session already begun loads its stored queue, open partitions attach).
 */

/** What the signed-in half is built from: the signed-out kit's parts. */
export interface SignedInParts extends SessionContext {
  readonly store: Store<KitState>
  /** The realtime gateway `createKit` was given; default deepstream at `realtimeUrl`. */
  readonly realtime: RealtimeGateway | undefined
  readonly realtimeUrl: string
  readonly pageSize: number
}

/** What the kit's facade reaches through once the half is loaded. */
export interface SignedInHalf {
  /** `ref`'s documents in `target`'s order: a descriptor's, or the server's declared order for a name (by id until known). */
  watch<F extends object>(target: string | CollectionDescriptor<F>, ref: PartitionRef): Observable<readonly LiveDoc<F>[]>
  changes<F extends object>(ref: PartitionRef): Observable<DocChange<F>>
  declared(name: string): Observable<PublicCollection | undefined>
  /** The text fields of `name` known so far (a built-in's descriptor, else the server's answer). */
  textFields(name: string): readonly string[]
  readonly presence$: Observable<readonly UserProfile[]>
  /** Before the store is disposed: this tab lets its queue go, the collections stop being asked for. */
  release(): void
  /** After the store is disposed: the connection closes. */
  close(): void
}

/** Starts the half on `parts`: its effects join the store, and the realtime client starts loading. */
export function startSignedIn(parts: SignedInParts): SignedInHalf {
  const { store, http } = parts
  const realtime = parts.realtime ?? new DeepstreamGateway({ url: parts.realtimeUrl })
  // A session is on its way (that is why this half loaded): load the realtime client meanwhile.
  realtime.preload?.()
  // The live queries' partitions: only this half opens them, so their reducer comes with it.
  store.addReducer('collections', collectionsReducer)
  const context: EffectContext = {
    ...parts,
    realtime,
    tabs: tabPresence(parts.storageKey, parts.newId()),
  }
  // With an auth endpoint this half is loaded as the kit starts, and asks the host for a token at once.
  store.addEffect(hostSessionEffects(parts), 'hostSession')
  store.addEffect(realtimeEffects(context), 'realtime')
  store.addEffect(liveQueryEffects(context), 'liveQuery')
  store.addEffect(commandEffects(context), 'commands')

  const views = partitionViews(store)
  // One compare function per declared order, so every view in that order shares one sorted list.
  const declaredOrders = new Map<string, (a: LiveDoc<never>, b: LiveDoc<never>) => number>()
  const inDeclaredOrder = <F extends object>(order: string) => {
    let compare = declaredOrders.get(order)
    if (!compare) declaredOrders.set(order, (compare = compareByFields(order.split(','))))
    return compare as (a: LiveDoc<F>, b: LiveDoc<F>) => number
  }
  const session$ = store.select(selectSessionView)
  const declared = serverCollections(
    http,
    session$.pipe(
      map((view) => view.user?.id),
      distinctUntilChanged(),
    ),
  )
  // Asked at each sign-in, before any widget writes: an operator's text fields are then known to commands.
  const prefetch = declared.follow()

  function watch<F extends object>(target: string | CollectionDescriptor<F>, ref: PartitionRef): Observable<readonly LiveDoc<F>[]> {
    if (typeof target !== 'string') return views.query<F>(ref, target.compare).watch()
    const byId = views.query<F>(ref)
    return new Observable<readonly LiveDoc<F>[]>((subscriber) => {
      // Held open across the switch to the declared order: switching alone would close the
      // partition and open it again, and a topic unsubscribed and resubscribed in one breath
      // could miss the changes in between.
      const open = byId.watch().subscribe({ error: (error: unknown) => subscriber.error(error) })
      const ordered = declared
        .info$(target)
        .pipe(
          map((info) => info?.order.join(',')),
          distinctUntilChanged(),
          switchMap((order) => (order ? views.query<F>(ref, inDeclaredOrder<F>(order)).watch() : byId.watch())),
        )
        .subscribe(subscriber)
      return () => {
        ordered.unsubscribe()
        open.unsubscribe()
      }
    })
  }

  return {
    watch,
    changes: <F extends object>(ref: PartitionRef) => views.query<F>(ref).changes(),
    declared: (name) => declared.info$(name),
    textFields: (name) => declared.textFields(name),
    // Shared (and replayed) by the kit's `presence$`, its one subscriber.
    presence$: presenceProfiles(realtime.presence$, session$, http),
    release() {
      // Released first, so the command effect sees a closing tab as it stops.
      context.tabs.release()
      prefetch.unsubscribe()
    },
    close: () => realtime.close(),
  }
}
