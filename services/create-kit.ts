import { BehaviorSubject, EMPTY, filter, firstValueFrom, of, shareReplay, switchMap, type Observable } from 'rxjs'
import type { CollectionDescriptor, UserProfile } from '../contracts/index.ts'
import { commandIssuer } from './commands/command-issuer.ts'
import { builtinTextFields } from './commands/server-normal-form.ts'
import { serviceRegistry, type ServiceContext } from './custom-services.ts'
import { CommandType } from './commands/command-types.ts'
import { Store } from './core/store.ts'
import type { SessionContext } from './effects/effect-context.ts'
import { kitStarted, sessionEffects } from './effects/session-effects.ts'
import { FetchHttpGateway } from './gateways/fetch-http-gateway.ts'
import type { HttpGateway } from './gateways/http-gateway.ts'
import type { RealtimeGateway } from './gateways/realtime-gateway.ts'
import type { CollectionRef, Kit, KitOptions } from './kit.ts'
import { brandKit } from './kit-brand.ts'
import type { SignedInHalf } from './signed-in.ts'
import { signedInLoader } from './signed-in-loader.ts'
import { errorDismissed } from './state/errors.ts'
import { initialKitState, kitReducer, type KitState } from './state/root.ts'
import { selectErrors, selectPending, selectQueryStatus, selectRealtimeStatus, selectSessionView } from './state/selectors.ts'
import { loginRequested, logoutRequested, registerRequested, signInFailed, signedIn, signedOut } from './state/session.ts'
import { defaultStorage } from './storage/default-storage.ts'

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
 * What a signed-out page needs (sessions, sign-in, storage, the store) is
 * here; the rest (realtime, live queries, sending commands, presence,
 * `signed-in.ts`) is imported when a session is on its way, so a bundler
 * keeps it out of a signed-out page's first load. Until it is there, the
 * kit's streams wait for it and commands queue.
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
  const context: SessionContext = {
    http,
    storage: options.storage ?? defaultStorage(),
    storageKey: options.storageKey ?? 'rtkit',
    newId,
    now,
    // An empty endpoint is none, as `authMode` says ('accounts').
    authEndpoint: options.authEndpoint || undefined,
  }
  /** The signed-in half once it is loaded and started; `undefined` before. */
  const half$ = new BehaviorSubject<SignedInHalf | undefined>(undefined)
  /** `whenLoaded(part)` waits for the half, then is `part` of it. */
  const whenLoaded = <T>(part: (half: SignedInHalf) => Observable<T>, before: Observable<T> = EMPTY): Observable<T> =>
    half$.pipe(switchMap((half) => (half ? part(half) : before)))
  store.addEffect(sessionEffects(context), 'session')
  store.addEffect(
    signedInLoader({
      load: () => import('./signed-in.ts'),
      start: ({ startSignedIn }) =>
        half$.next(
          startSignedIn({
            ...context,
            store,
            realtime: dependencies.realtime,
            realtimeUrl: options.realtimeUrl,
            pageSize: dependencies.pageSize ?? 500,
          }),
        ),
      hostSignIn: context.authEndpoint !== undefined,
      newId,
      now,
    }),
    'signedInLoader',
  )
  store.dispatch(kitStarted({}))

  // Commands are built and queued here (a receipt is synchronous); the half sends them.
  const commands = commandIssuer(store, {
    newId,
    now,
    textFields: (name) => half$.getValue()?.textFields(name) ?? builtinTextFields(name),
  })

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
        return {
          watch: () => whenLoaded((half) => half.watch<F>(target, ref)),
          status: () => store.select(selectQueryStatus(ref)),
          changes: () => whenLoaded((half) => half.changes<F>(ref)),
        }
      },
      declared: () => whenLoaded((half) => half.declared(name), of(undefined)),
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
    presence$: whenLoaded((half) => half.presence$, of([])).pipe(shareReplay({ bufferSize: 1, refCount: true })),

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
      const half = half$.getValue()
      half?.release()
      store.dispose()
      if (half) half.close()
      else dependencies.realtime?.close()
      half$.complete()
    },
  }
  return brandKit(kit)
}
