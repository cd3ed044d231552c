import { ReplaySubject, filter, firstValueFrom, map, Observable, share, shareReplay, type Observable as Obs } from 'rxjs'
import { TaskStatus, type MessageFields, type TaskFields, type UserProfile } from '../contracts/index.ts'
import { CommandType } from './commands/command-types.ts'
import { insertCommand, removeCommand, updateCommand, type CommandContext } from './commands/command-factories.ts'
import type { Command } from './commands/command.ts'
import type { CommandOutcome, CommandReceipt } from './commands/receipt.ts'
import type { Action } from './core/action.ts'
import { Store } from './core/store.ts'
import { hostTokenSource } from './auth/host-token.ts'
import { commandEffects } from './effects/command-effects.ts'
import { hostSessionEffects } from './effects/host-session-effects.ts'
import type { EffectContext } from './effects/effect-context.ts'
import { liveQueryEffects } from './effects/live-query-effects.ts'
import { realtimeEffects } from './effects/realtime-effects.ts'
import { kitStarted, sessionEffects } from './effects/session-effects.ts'
import { DeepstreamGateway } from './gateways/deepstream-gateway.ts'
import { FetchHttpGateway } from './gateways/fetch-http-gateway.ts'
import type { HttpGateway, PartitionRef } from './gateways/http-gateway.ts'
import type { RealtimeGateway } from './gateways/realtime-gateway.ts'
import type { CollectionRef, Kit, KitOptions, LiveQuery, NewTask, QueryStatus, TaskMove, WriteOptions } from './kit.ts'
import { partitionChanges } from './live/change-feed.ts'
import type { LiveDoc } from './live/live-doc.ts'
import { compareMessages, compareTasks } from './live/order.ts'
import { presenceProfiles } from './live/presence.ts'
import { partitionKey } from './live/partition-state.ts'
import { sortedViews } from './live/sorted-view.ts'
import { queryClosed, queryOpened } from './state/collections.ts'
import { commandConfirmed, commandIssued, commandRejected } from './state/commands.ts'
import { errorDismissed } from './state/errors.ts'
import { initialKitState, kitReducer, type KitState } from './state/root.ts'
import {
  selectErrors,
  selectKnownVersion,
  selectLiveDocs,
  selectPending,
  selectRealtimeStatus,
  selectSessionView,
} from './state/selectors.ts'
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
 * kit.tasks$('launch').subscribe(render)
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

  const live = new Map<string, Obs<readonly LiveDoc[]>>()

  /** One shared stream per partition: the first subscriber opens it, the last closes it. */
  function watchPartition(ref: PartitionRef): Obs<readonly LiveDoc[]> {
    const key = partitionKey(ref)
    let shared = live.get(key)
    if (!shared) {
      shared = new Observable<readonly LiveDoc[]>((subscriber) => {
        const subscription = store
          .select(selectLiveDocs(ref))
          .pipe(filter((docs): docs is readonly LiveDoc[] => docs !== undefined))
          .subscribe(subscriber)
        store.dispatch(queryOpened({ ref }))
        return () => {
          subscription.unsubscribe()
          store.dispatch(queryClosed({ ref }))
        }
      }).pipe(share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true }))
      live.set(key, shared)
    }
    return shared
  }

  function query<F extends object>(ref: PartitionRef): LiveQuery<F> {
    const key = partitionKey(ref)
    return {
      watch: () => watchPartition(ref) as Obs<readonly LiveDoc<F>[]>,
      status: () => store.select((state): QueryStatus => state.collections[key]?.status ?? 'loading'),
      changes: () => partitionChanges<F>(store, ref, watchPartition(ref)),
    }
  }

  function collection<F extends object>(name: string): CollectionRef<F> {
    return {
      where(partition) {
        const entries = Object.entries(partition)
        if (entries.length !== 1) throw new TypeError(`where() takes exactly one partition key, got ${entries.length}`)
        const [key, value] = entries[0]!
        return query<F>({ collection: name, key, value })
      },
    }
  }

  const sortedView = sortedViews(watchPartition)

  function settled(command: Command): Promise<CommandOutcome> {
    return firstValueFrom(
      store.actions$.pipe(
        filter(
          (action): action is Action & (ReturnType<typeof commandConfirmed> | ReturnType<typeof commandRejected>) =>
            (commandConfirmed.is(action) || commandRejected.is(action)) && action.command.id === command.id,
        ),
        map((action): CommandOutcome => {
          if (commandRejected.is(action)) return { status: 'rejected', error: action.error }
          const version = action.doc?.version ?? action.removed?.version ?? 0
          return { status: 'confirmed', doc: action.doc, version }
        }),
      ),
    ).catch(() => new Promise<CommandOutcome>(() => undefined)) // disposed: never settles
  }

  /** Issues a command, or rejects it at once (visibly) when it cannot be built. */
  function issue(
    build: (context: CommandContext) => Command | string,
    fallback: { collection: string; docId: string; type: string },
  ): CommandReceipt {
    const user = store.state.session.user
    const commandContext: CommandContext = { userId: user?.id ?? '', newId, now }
    const built = user ? build(commandContext) : 'you are not signed in'
    if (typeof built !== 'string') {
      const done = settled(built)
      store.dispatch(commandIssued({ command: built }))
      return { command: built, docId: built.docId, settled: done }
    }
    const command = removeCommand(commandContext, fallback.type as CommandType, fallback.collection, fallback.docId)
    const error = { id: newId(), code: user ? 'unknown_document' : 'signed_out', message: built, command, at: now() }
    const done = settled(command)
    store.dispatch(commandRejected({ command, error }))
    return { command, docId: command.docId, settled: done }
  }

  /** The version an update is based on: known to a live query, 0 if its insert is pending. */
  function baseVersionOf(collectionName: string, id: string): number | undefined {
    const known = selectKnownVersion(collectionName, id)(store.state)
    if (known !== undefined) return known
    const pendingInsert = store.state.commands.queue.some((c) => c.op === 'insert' && c.collection === collectionName && c.docId === id)
    return pendingInsert ? 0 : undefined
  }

  function update(
    collectionName: string,
    id: string,
    patch: Readonly<Record<string, unknown>>,
    type: CommandType,
    writeOptions: WriteOptions = {},
  ) {
    return issue(
      (ctx) => {
        const version = writeOptions.expectedVersion ?? baseVersionOf(collectionName, id)
        if (version === undefined) return `${collectionName}/${id} is not loaded; watch its partition or pass expectedVersion`
        return updateCommand(ctx, type, collectionName, id, patch, version)
      },
      { collection: collectionName, docId: id, type },
    )
  }

  function remove(collectionName: string, id: string, type: CommandType, writeOptions: WriteOptions = {}) {
    return issue((ctx) => removeCommand(ctx, type, collectionName, id, writeOptions.expectedVersion), {
      collection: collectionName,
      docId: id,
      type,
    })
  }

  function nextOrder(board: string, status: TaskStatus): number {
    const docs = selectLiveDocs({ collection: 'tasks', key: 'board', value: board })(store.state) as
      readonly LiveDoc<TaskFields>[] | undefined
    const orders = (docs ?? []).filter((task) => task.status === status).map((task) => task.order)
    return orders.length ? Math.max(...orders) + 1 : 1
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
    tasks$: (board) => sortedView<TaskFields>({ collection: 'tasks', key: 'board', value: board }, compareTasks),
    messages$: (room) => sortedView<MessageFields>({ collection: 'messages', key: 'room', value: room }, compareMessages),

    login: (username, password) => signIn(loginRequested({ requestId: newId(), username, password })),
    register: (username, password, name) => signIn(registerRequested({ requestId: newId(), username, password, name })),
    async logout() {
      // Resolves once signed out (after the server revoked the token, or gave up trying).
      const done = firstValueFrom(store.actions$.pipe(filter((action) => signedOut.is(action)))).catch(() => undefined)
      store.dispatch(logoutRequested({}))
      await done
    },

    addTask(task: NewTask) {
      const status = task.status ?? TaskStatus.todo
      const fields: Record<string, unknown> = {
        board: task.board,
        title: task.title,
        status,
        order: task.order ?? nextOrder(task.board, status),
      }
      if (task.assignee !== undefined) fields.assignee = task.assignee
      return issue((ctx) => insertCommand(ctx, CommandType.addTask, 'tasks', fields, { docId: task.id }), {
        collection: 'tasks',
        docId: task.id ?? newId(),
        type: CommandType.addTask,
      })
    },
    moveTask: (id, to: TaskMove) => {
      const patch: Record<string, unknown> = { status: to.status, order: to.order }
      if (to.board !== undefined) patch.board = to.board
      return update('tasks', id, patch, CommandType.moveTask)
    },
    renameTask: (id, title) => update('tasks', id, { title }, CommandType.renameTask),
    removeTask: (id) => remove('tasks', id, CommandType.removeTask),
    sendMessage(room, text, messageOptions = {}) {
      const user = store.state.session.user
      // The server derives author fields from the token; show them at once, never send them.
      const derived = user ? { author: user.id, authorName: user.name } : undefined
      return issue(
        (ctx) => insertCommand(ctx, CommandType.sendMessage, 'messages', { room, text }, { docId: messageOptions.id, derived }),
        {
          collection: 'messages',
          docId: messageOptions.id ?? newId(),
          type: CommandType.sendMessage,
        },
      )
    },
    editMessage: (id, text) => update('messages', id, { text }, CommandType.editMessage),
    removeMessage: (id) => remove('messages', id, CommandType.removeMessage),

    insert(collectionName, { id, ...fields }) {
      return issue((ctx) => insertCommand(ctx, CommandType.insert, collectionName, fields, { docId: id }), {
        collection: collectionName,
        docId: id ?? newId(),
        type: CommandType.insert,
      })
    },
    update: (collectionName, id, patch, writeOptions) => update(collectionName, id, patch, CommandType.update, writeOptions),
    remove: (collectionName, id, writeOptions) => remove(collectionName, id, CommandType.remove, writeOptions),

    dismissError: (id) => store.dispatch(errorDismissed({ id })),
    async dispose() {
      // Released first, so the command effect sees a closing tab as it stops.
      context.tabs.release()
      store.dispose()
      realtime.close()
    },
  }
  return kit
}
