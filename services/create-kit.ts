import { distinctUntilChanged, filter, firstValueFrom, map, Observable, shareReplay, switchMap } from 'rxjs'
import { compareByFields, type CollectionDescriptor, type UserProfile } from '../contracts/index.ts'
import { hostTokenSource } from './auth/host-token.ts'
import { commandIssuer } from './commands/command-issuer.ts'
import { serviceRegistry, type ServiceContext } from './custom-services.ts'
import { CommandType } from './commands/command-types.ts'
import { Store } from './core/store.ts'
import { commandEffects } from './effects/command-effects.ts'
import type { EffectContext } from './effects/effect-context.ts'
import { hostSessionEffects } from './effects/host-session-effects.ts'
import { liveQueryEffects } from './effects/live-query-effects.ts'
import { realtimeEffects } from './effects/realtime-effects.ts'
import { kitStarted, sessionEffects } from './effects/session-effects.ts'
import { DeepstreamGateway } from './gateways/deepstream-gateway.ts'
import { FetchHttpGateway } from './gateways/fetch-http-gateway.ts'
import type { HttpGateway } from './gateways/http-gateway.ts'
import type { RealtimeGateway } from './gateways/realtime-gateway.ts'
import type { CollectionRef, Kit, KitOptions } from './kit.ts'
import type { LiveDoc } from './live/live-doc.ts'
import { brandKit } from './kit-brand.ts'
import { partitionViews } from './live/partition-views.ts'
import { presenceProfiles } from './live/presence.ts'
import { serverCollections } from './live/server-collections.ts'
import { errorDismissed } from './state/errors.ts'
import { initialKitState, kitReducer, type KitState } from './state/root.ts'
import { selectErrors, selectPending, selectRealtimeStatus, selectSessionView } from './state/selectors.ts'
import { loginRequested, logoutRequested, registerRequested, signInFailed, signedIn, signedOut } from './state/session.ts'
import { defaultStorage } from './storage/default-storage.ts'
import { tabPresence } from './storage/tab-presence.ts'

/** Replacements for the gateways `createKit` would build; for other transports and tools. */
export interface KitDependencies {
  http?: HttpGateway
  realtime?: RealtimeGateway
  /** Default `crypto.randomUUID()`. */
  newId?: () => string
  /** Default `new Date().toISOString()`. */
  now?: () => string
  /** Documents per page of a live-query fetch (default 500). */
  pageSize?: number
}

/**
 * Creates the facade: one store, one HTTP gateway, one realtime connection.
 * Share the result among every component of a page.
 *
 * @example
 * const kit = createKit({ apiUrl: 'http://127.0.0.1:3000', realtimeUrl: 'ws://127.0.0.1:6020/deepstream' })
 * await kit.login('alice', 'rtkit-demo')
 * kit.collection('votes').where({ poll: 'p1' }).watch().subscribe(render)
 */
export function createKit(options: KitOptions, dependencies: KitDependencies = {}): Kit {
  const store = new Store<KitState>(kitReducer, initialKitState)
  const newId = dependencies.newId ?? (() => globalThis.crypto.randomUUID())
  const now = dependencies.now ?? (() => new Date().toISOString())
  const http =
    dependencies.http ??
    new FetchHttpGateway({
      baseUrl: options.apiUrl,
      token: () => store.state.session.token,
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
    })
  const realtime = dependencies.realtime ?? new DeepstreamGateway({ url: options.realtimeUrl })
  const context: EffectContext = {
    http,
    realtime,
    storage: options.storage ?? defaultStorage(),
    storageKey: options.storageKey ?? 'rtkit',
    tabs: tabPresence(options.storageKey ?? 'rtkit', newId()),
    newId,
    now,
    pageSize: dependencies.pageSize ?? 500,
    hostToken: options.authEndpoint ? hostTokenSource(options.authEndpoint) : undefined,
  }
  store.addEffect(sessionEffects(context), 'session')
  store.addEffect(hostSessionEffects(context), 'hostSession')
  store.addEffect(realtimeEffects(context), 'realtime')
  store.addEffect(liveQueryEffects(context), 'liveQuery')
  store.addEffect(commandEffects(context), 'commands')
  store.dispatch(kitStarted({}))

  const views = partitionViews(store)
  const declared = serverCollections(
    http,
    store.select(selectSessionView).pipe(
      map((view) => view.user?.id),
      distinctUntilChanged(),
    ),
  )
  const commands = commandIssuer(store, { newId, now, textFields: declared.textFields })
  // Asked at each sign-in, before any widget writes: an operator's text fields are then known to commands.
  const prefetch = declared.follow()

  /**
   * A collection by descriptor (typed, in its order), or by name: in the
   * order the server declares for it (`GET /collections`), by id until that is known.
   */
  function collection<F extends object>(target: string | CollectionDescriptor<F>): CollectionRef<F> {
    const name = typeof target === 'string' ? target : target.name
    return {
      where(partition) {
        const entries = Object.entries(partition)
        if (entries.length !== 1) throw new TypeError(`where() takes exactly one partition key, got ${entries.length}`)
        const [key, value] = entries[0]!
        const ref = { collection: name, key, value }
        if (typeof target !== 'string') return views.query<F>(ref, target.compare)
        const byId = views.query<F>(ref)
        return {
          ...byId,
          watch: () =>
            new Observable<readonly LiveDoc<F>[]>((subscriber) => {
              // Held open across the switch to the declared order: switching alone would close the
              // partition and open it again, and a topic unsubscribed and resubscribed in one breath
              // could miss the changes in between.
              const open = byId.watch().subscribe({ error: (error: unknown) => subscriber.error(error) })
              const ordered = declared
                .info$(name)
                .pipe(
                  map((info) => info?.order.join(',')),
                  distinctUntilChanged(),
                  switchMap((order) => (order ? views.query<F>(ref, compareByFields(order.split(','))).watch() : byId.watch())),
                )
                .subscribe(subscriber)
              return () => {
                ordered.unsubscribe()
                open.unsubscribe()
              }
            }),
        }
      },
      declared: () => declared.info$(name),
      insert: ({ id, ...fields }, insertOptions) => {
        const user = store.state.session.user
        const derived = user && insertOptions?.derived ? insertOptions.derived(user) : undefined
        return commands.insert(CommandType.insert, name, fields, { docId: id, derived })
      },
      update: (id, patch, writeOptions) => commands.update(CommandType.update, name, id, patch, writeOptions),
      remove: (id, writeOptions) => commands.remove(CommandType.remove, name, id, writeOptions),
    }
  }

  async function signIn(action: ReturnType<typeof loginRequested> | ReturnType<typeof registerRequested>): Promise<UserProfile> {
    const result = firstValueFrom(
      store.actions$.pipe(filter((a) => (signedIn.is(a) || signInFailed.is(a)) && a.requestId === action.requestId)),
    )
    store.dispatch(action)
    const outcome = await result
    if (signedIn.is(outcome)) return outcome.session.user
    throw (outcome as ReturnType<typeof signInFailed>).error
  }

  const services = serviceRegistry(options.services ?? {}, (): ServiceContext => ({
    http,
    call: kit.call,
    command: kit.command,
    state$: store.state$,
    actions$: store.actions$,
    dispatch: (action) => store.dispatch(action),
    collection,
    session$: kit.session$,
  }))

  const kit: Kit = {
    session$: store.select(selectSessionView),
    authMode: options.authEndpoint ? 'host' : 'accounts',
    connection$: store.select(selectRealtimeStatus),
    pending$: store.select(selectPending),
    errors$: store.select(selectErrors),
    presence$: presenceProfiles(realtime.presence$, store.select(selectSessionView), http).pipe(
      shareReplay({ bufferSize: 1, refCount: true }),
    ),

    collection,

    login: (username, password) => signIn(loginRequested({ requestId: newId(), username, password })),
    register: (username, password, name) => signIn(registerRequested({ requestId: newId(), username, password, name })),
    async logout() {
      // Resolves once signed out (after the server revoked the token, or gave up trying).
      const done = firstValueFrom(store.actions$.pipe(filter((action) => signedOut.is(action)))).catch(() => undefined)
      store.dispatch(logoutRequested({}))
      await done
    },

    insert: (collectionName, { id, ...fields }) => commands.insert(CommandType.insert, collectionName, fields, { docId: id }),
    update: (collectionName, id, patch, writeOptions) => commands.update(CommandType.update, collectionName, id, patch, writeOptions),
    remove: (collectionName, id, writeOptions) => commands.remove(CommandType.remove, collectionName, id, writeOptions),

    // Your own server functions and services.
    call: (name, input) => firstValueFrom(http.call(name, input)) as Promise<never>,
    command: (name, input) => commands.call(name, input),
    service: (name: string) => services.get(name) as never,

    dismissError: (id) => store.dispatch(errorDismissed({ id })),
    async dispose() {
      services.dispose()
      // Released first, so the command effect sees a closing tab as it stops.
      context.tabs.release()
      prefetch.unsubscribe()
      store.dispose()
      realtime.close()
    },
  }
  return brandKit(kit)
}
