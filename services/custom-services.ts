import type { Observable } from 'rxjs'
import type { CommandReceipt } from './commands/receipt.ts'
import type { Action } from './core/action.ts'
import type { HttpGateway } from './gateways/http-gateway.ts'
import type { Kit } from './kit.ts'
import type { KitState } from './state/root.ts'

/**
 * Custom async services, injected: a widget author's own service (a REST API
 * of theirs, a third-party feed, a wrapper of a server function) is built by
 * a factory given to `createKit({ services })`, and reached with
 * `kit.service(name)`. The factory receives the kit's abstractions, never a
 * concrete socket, so the service runs over whatever gateways the kit has.
 */

/** What a service factory receives. */
export interface ServiceContext {
  /** The HTTP gateway: the session's token, timeouts, typed errors (`HttpError` subclasses). */
  readonly http: HttpGateway
  /** Calls a server function now; see {@link Kit.call}. */
  call<R = unknown>(name: string, input?: unknown): Promise<R>
  /** Calls a server function as a command (queued offline, sent exactly once); see {@link Kit.command}. */
  command(name: string, input?: unknown): CommandReceipt
  /** The store's state, current value first. */
  readonly state$: Observable<KitState>
  /** Every action the store reduced. */
  readonly actions$: Observable<Action>
  /** Dispatches an action into the store. */
  dispatch(action: Action): void
  /** The kit's collections, as {@link Kit.collection}. */
  readonly collection: Kit['collection']
  /** Who is signed in, as {@link Kit.session$}. */
  readonly session$: Kit['session$']
}

/** Builds one service from the kit's abstractions. */
export type ServiceFactory<S = unknown> = (context: ServiceContext) => S

/**
 * The services an app registers, by name, for typed `kit.service(name)`:
 * declare yours by declaration merging.
 *
 * @example
 * declare module 'rtkit/services' {
 *   interface KitServices { polls: PollService }
 * }
 * const polls = kit.service('polls') // PollService
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by apps through declaration merging
export interface KitServices {}

/**
 * The services of one kit: each built on first use from its factory, once;
 * those with a `dispose()` are disposed with the kit.
 */
export function serviceRegistry(factories: Readonly<Record<string, ServiceFactory>>, context: () => ServiceContext) {
  const built = new Map<string, unknown>()
  return {
    get(name: string): unknown {
      if (built.has(name)) return built.get(name)
      const factory = Object.hasOwn(factories, name) ? factories[name] : undefined
      if (typeof factory !== 'function') {
        throw new TypeError(`no service "${name}": createKit's services has ${Object.keys(factories).join(', ') || 'none'}`)
      }
      const service = factory(context())
      built.set(name, service)
      return service
    },
    dispose(): void {
      for (const service of built.values()) (service as { dispose?: () => void } | null)?.dispose?.()
      built.clear()
    },
  }
}
