import type * as DeepstreamModule from '@deepstream/client'
import type { DeepstreamClient } from '@deepstream/client'
import {
  BehaviorSubject,
  NEVER,
  Observable,
  combineLatest,
  distinctUntilChanged,
  map,
  of,
  shareReplay,
  switchMap,
  takeUntil,
  Subject,
} from 'rxjs'
import { backoffDelay, type SessionRefresh } from '../../contracts/index.ts'
import { SESSION_TOPIC } from '../../contracts/realtime.ts'
import { ConnectionStatus } from './connection-status.ts'
import { SubscriptionAcks } from './deepstream-acks.ts'
import { browserOnline$ } from './browser-network.ts'
import { nextConnectionStatus, withNetwork, type ConnectionSignal } from './connection-transitions.ts'
import type { RealtimeGateway } from './realtime-gateway.ts'
import { TopicMultiplexer } from './topic-multiplexer.ts'

type ClientModule = Pick<typeof DeepstreamModule, 'DeepstreamClient' | 'C'>

let loading: Promise<ClientModule> | undefined

/** The package Node.js 20 needs for a WebSocket; named in a variable so browser builds never look for it. */
const NODE_WEBSOCKET_PACKAGE = 'ws'

/**
 * Node.js before 22 has no global WebSocket, and the deepstream client rtkit
 * ships (its browser build) takes the global one when it loads. There, the
 * `ws` package (an optional peer dependency of `rtkit`) is made the global
 * first; without it, a clear error says what to install.
 */
async function ensureWebSocket(): Promise<void> {
  if (typeof globalThis.WebSocket !== 'undefined') return
  try {
    const ws = (await import(/* @vite-ignore */ NODE_WEBSOCKET_PACKAGE)) as { default?: unknown; WebSocket?: unknown }
    ;(globalThis as { WebSocket?: unknown }).WebSocket = ws.WebSocket ?? ws.default
  } catch (error) {
    throw new MissingWebSocketError({ cause: error })
  }
}

/** No WebSocket to connect with (Node.js before 22 without `ws`): nothing a retry can fix. */
class MissingWebSocketError extends Error {
  override name = 'MissingWebSocketError'
  constructor(options: ErrorOptions) {
    super('rtkit/services needs a WebSocket: in Node.js before 22, install the `ws` package (npm install ws)', options)
  }
}

/**
 * The deepstream client, loaded on first use: a dynamic import, so an ES
 * build puts it (about half of everything a page loads) in a chunk of its
 * own that a signed-out page never fetches. Single-file builds inline it.
 */
function loadClient(): Promise<ClientModule> {
  loading ??= ensureWebSocket().then(async () => {
    const module = await import('@deepstream/client')
    // A CommonJS module imported from an ES module may arrive as its `default`.
    const loaded = module as ClientModule & { default?: ClientModule }
    return loaded.DeepstreamClient ? loaded : loaded.default!
  })
  return loading
}

/** Settings of {@link DeepstreamGateway}. */
export interface DeepstreamGatewayOptions {
  /** e.g. `ws://127.0.0.1:6020/deepstream` */
  url: string
  /** Added to every reconnect delay, ms (deepstream's `reconnectIntervalIncrement`; default 1000). */
  reconnectIntervalIncrement?: number
  /** Longest wait between reconnect attempts, ms (default 8000). */
  maxReconnectInterval?: number
  /**
   * Whether the device has a network; while it says `false`, `status$` is
   * `offline` whatever the socket says. Default: `true`, then the browser's
   * `online` and `offline` events (always `true` outside a browser).
   */
  network$?: Observable<boolean>
}

/**
 * {@link RealtimeGateway} on `@deepstream/client`: one connection per gateway
 * (one gateway per facade). A token change replaces the client (deepstream
 * cannot log in twice on one socket), and every topic with subscribers is
 * subscribed again on the new client. Between token changes deepstream
 * reconnects by itself, sending the same `{ token }` again. The client
 * library itself is loaded when first needed (`preload`, or the first
 * token), so a page nobody is signed in on never downloads it.
 *
 * @example
 * const realtime = new DeepstreamGateway({ url: 'ws://127.0.0.1:6020/deepstream' })
 * realtime.setToken(session.token)
 * realtime.event$('tasks/launch').subscribe(console.log)
 */
export class DeepstreamGateway implements RealtimeGateway {
  readonly #client = new BehaviorSubject<DeepstreamClient | null>(null)
  readonly #status = new BehaviorSubject<ConnectionStatus>(ConnectionStatus.closed)
  readonly #closed = new Subject<void>()
  readonly #topics: TopicMultiplexer<unknown>
  #token: string | null = null
  /** What the client sends at every (re)login; `refreshToken` updates it in place. */
  #authData: { token: string } | undefined
  #acks: SubscriptionAcks | undefined
  /** Bumped by every connect and disconnect, so a client that finished loading too late is never used. */
  #generation = 0

  /**
   * The socket's status, but `offline` while the browser reports no network:
   * a socket stays open on a network that is gone until a heartbeat is
   * missed, tens of seconds later, and the kit would say `open` meanwhile
   * while every request fails. When the network is back, the socket's own status shows
   * again, and its return to `open` sends the queued commands and refetches
   * the live queries, as after any reconnect.
   */
  readonly status$: Observable<ConnectionStatus>
  readonly presence$: Observable<readonly string[]>

  constructor(private readonly options: DeepstreamGatewayOptions) {
    this.status$ = combineLatest([this.#status, (options.network$ ?? browserOnline$()).pipe(distinctUntilChanged())]).pipe(
      map(([status, online]) => withNetwork(status, online)),
      distinctUntilChanged(),
      takeUntil(this.#closed),
    )
    this.#topics = new TopicMultiplexer((topic) =>
      this.#client.pipe(switchMap((client) => (client ? subscribeTopic(client, topic) : NEVER))),
    )
    this.presence$ = this.#client.pipe(
      switchMap((client) => (client ? presenceOf(client, this.status$) : of([] as readonly string[]))),
      takeUntil(this.#closed),
      shareReplay({ bufferSize: 1, refCount: true }),
    )
  }

  event$<T = unknown>(topic: string): Observable<T> {
    return this.#topics.topic$(topic) as Observable<T>
  }

  subscribed(topic: string): Promise<void> {
    if (!this.#acks || this.#status.getValue() !== ConnectionStatus.open) return Promise.resolve()
    return this.#acks.whenActive(topic)
  }

  preload(): void {
    // A failed load is retried by the next connect, which reports it.
    loadClient().catch(() => (loading = undefined))
  }

  setToken(token: string | null): void {
    if (token === this.#token) return
    this.#token = token
    this.#disconnect()
    if (token) this.#connect()
  }

  refreshToken(token: string): void {
    if (!this.#token || token === this.#token) return
    // Still loading the client: it logs in with the newest token when it is there.
    this.#token = token
    const client = this.#client.getValue()
    if (!client || !this.#authData) return
    // Reconnects log in with it from now on; the open session learns it now.
    this.#authData.token = token
    const refresh: SessionRefresh = { token }
    // The node takes the token and answers MESSAGE_DENIED on purpose (it
    // never forwards a token to the other nodes); the error listener below
    // ignores that answer, as it ignores every one but the connection's.
    if (this.#status.getValue() === ConnectionStatus.open) client.event.emit(SESSION_TOPIC, { ...refresh })
  }

  close(): void {
    this.#token = null
    this.#disconnect()
    this.#closed.next()
    this.#closed.complete()
    this.#client.complete()
    this.#status.complete()
  }

  #connect(attempt = 0): void {
    const generation = ++this.#generation
    if (attempt === 0) this.#status.next(ConnectionStatus.connecting)
    loadClient().then(
      (module) => {
        if (generation === this.#generation && this.#token) this.#open(module, this.#token)
      },
      (error: unknown) => {
        loading = undefined
        if (generation !== this.#generation) return
        if (error instanceof MissingWebSocketError) {
          // Said once, where a script's author looks; the kit stays offline and keeps commands queued.
          console.error(`rtkit: ${error.message}`)
          this.#status.next(ConnectionStatus.offline)
          return
        }
        // The library could not be fetched (offline before it ever arrived): offline, and try again as a reconnect would.
        this.#status.next(ConnectionStatus.offline)
        const policy = { initialMs: this.options.reconnectIntervalIncrement ?? 1000, maxMs: this.options.maxReconnectInterval ?? 8000 }
        const delay = backoffDelay(attempt, policy)
        setTimeout(() => generation === this.#generation && this.#connect(attempt + 1), delay)
      },
    )
  }

  #open({ DeepstreamClient, C }: ClientModule, token: string): void {
    const client = new DeepstreamClient(this.options.url, {
      // Never give up: the kit shows `offline` and keeps queueing instead.
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
      // One setTimeout per pending timer. The client documents this as its
      // default, but (7.0.5) reads only the options it is given; without it,
      // every client wakes every 50 ms for as long as it lives.
      nativeTimerRegistry: true,
      reconnectIntervalIncrement: this.options.reconnectIntervalIncrement ?? 1000,
      maxReconnectInterval: this.options.maxReconnectInterval ?? 8000,
    })
    const acks = new SubscriptionAcks(client, C)
    this.#acks = acks
    const signal = (next: ConnectionSignal) => {
      if (this.#client.getValue() !== client) return // a replaced client's last words
      const status = nextConnectionStatus(this.#status.getValue(), next)
      if (status !== ConnectionStatus.open) acks.reset()
      this.#status.next(status)
    }
    client.on('connectionStateChanged', (state: string) => signal({ kind: 'state', state }))
    // Without a listener deepstream would only log; a connection error while
    // retrying is how we learn that the server is still unreachable.
    client.on('error', (_meta: unknown, event: string) => {
      if (event === 'CONNECTION_ERROR' || event === 'IS_CLOSED') signal({ kind: 'error' })
    })
    client.on('reauthenticationFailure', () => signal({ kind: 'authRejected' }))
    this.#client.next(client)
    // The client keeps this object and sends it again at every reconnect.
    const authData = { token }
    this.#authData = authData
    client.login(authData, (success: boolean) => {
      if (!success) signal({ kind: 'authRejected' })
    })
  }

  #disconnect(): void {
    this.#generation++
    const client = this.#client.getValue()
    if (!client) {
      if (this.#status.getValue() !== ConnectionStatus.closed) this.#status.next(ConnectionStatus.closed)
      return
    }
    this.#client.next(null)
    this.#acks = undefined
    this.#authData = undefined
    this.#status.next(ConnectionStatus.closed)
    closeForGood(client)
  }
}

/**
 * Closes a client so that it never connects again. deepstream's `close()`
 * (7.0.5) aborts a socket that is still connecting, and the aborted
 * socket's error schedules a reconnect after the close has cleared the
 * client's timers: the client would connect again and stay connected.
 * So a closed client that moves to any other state is closed once more,
 * after the step that moved it has scheduled its timers.
 */
function closeForGood(client: DeepstreamClient): void {
  client.on('connectionStateChanged', (state: string) => {
    if (state !== 'CLOSING' && state !== 'CLOSED') setTimeout(() => client.close(), 0)
  })
  client.close()
}

/** One deepstream event subscription, as a cold Observable. */
function subscribeTopic(client: DeepstreamClient, topic: string): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const listener = (data: unknown) => subscriber.next(data)
    client.event.subscribe(topic, listener)
    return () => client.event.unsubscribe(topic, listener)
  })
}

/**
 * Online users of one client, without service principals (the bridge).
 * Subscribed once per client: deepstream renews the subscription itself on
 * every reconnect. The full list is fetched again on every (re)open.
 */
function presenceOf(client: DeepstreamClient, status$: Observable<ConnectionStatus>): Observable<readonly string[]> {
  return new Observable<readonly string[]>((subscriber) => {
    const online = new Set<string>()
    const emit = () => subscriber.next([...online].filter((id) => !id.startsWith('service:')).sort())
    const onChange = (user: string, isOnline: boolean) => {
      if (isOnline) online.add(user)
      else online.delete(user)
      emit()
    }
    client.presence.subscribe(onChange)
    const statusSubscription = status$.subscribe((status) => {
      online.clear()
      emit()
      if (status !== ConnectionStatus.open) return
      client.presence
        .getAll()
        .then((users: string[]) => {
          for (const user of users) online.add(user)
          emit()
        })
        // Presence may be denied by the server's permissions: show nobody rather than fail.
        .catch(() => emit())
    })
    return () => {
      statusSubscription.unsubscribe()
      try {
        client.presence.unsubscribe(onChange)
      } catch {
        // the client may be closed already
      }
    }
  }).pipe(distinctUntilChanged((a, b) => a.length === b.length && a.every((id, i) => id === b[i])))
}
