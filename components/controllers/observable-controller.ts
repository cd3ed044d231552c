import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Subscribable, Unsubscribable } from 'rxjs'

/** Options of {@link ObservableController}. */
export interface ObservableControllerOptions<T, A extends unknown[]> {
  /**
   * What the stream depends on, read before every update of the host; when
   * any entry changes (by `Object.is`) the controller switches streams.
   */
  args: () => [...A]
  /** The stream for these arguments, or `undefined` for none (the value stays `initial`). */
  source: (...args: NoInfer<A>) => Subscribable<T> | undefined
  /** The value before the stream's first emission, and after switching streams. */
  initial: T
  /** Called with every value as it arrives, before the host updates (e.g. to dispatch an event). */
  next?: (value: T) => void
}

/**
 * Binds an Observable (anything with `subscribe`) to a Lit host: subscribes
 * while the host is connected, unsubscribes when it is disconnected, and asks
 * the host to update on every value. Streams of the facade replay their
 * current value on subscribe, so the first render already shows it.
 *
 * @example
 * class TaskCount extends LitElement {
 *   @property() board = ''
 *   private readonly kit = new KitController(this)
 *   private readonly tasks = new ObservableController(this, {
 *     args: () => [this.kit.value, this.board],
 *     source: (kit, board) => (kit && board ? tasksOf(kit).tasks$(board) : undefined),
 *     initial: [],
 *   })
 *   render() {
 *     return html`${this.tasks.value.length} tasks`
 *   }
 * }
 */
export class ObservableController<T, A extends unknown[] = unknown[]> implements ReactiveController {
  /** The latest value (or `initial`). */
  value: T
  /** The error the stream ended with, if it failed. */
  error: unknown = undefined

  private readonly host: ReactiveControllerHost
  private readonly options: ObservableControllerOptions<T, A>
  private subscription: Unsubscribable | undefined = undefined
  private args: A | undefined = undefined
  private connected = false

  constructor(host: ReactiveControllerHost, options: ObservableControllerOptions<T, A>) {
    this.host = host
    this.options = options
    this.value = options.initial
    host.addController(this)
  }

  hostConnected(): void {
    this.connected = true
    this.sync()
  }

  hostUpdate(): void {
    this.sync()
  }

  hostDisconnected(): void {
    this.connected = false
    this.stop()
  }

  private sync(): void {
    if (!this.connected) return
    const args = this.options.args()
    if (this.args !== undefined && sameArgs(this.args, args)) return
    this.stop()
    this.args = args
    this.value = this.options.initial
    this.error = undefined
    const source = this.options.source(...args)
    if (source === undefined) return
    let active = true
    const subscription = source.subscribe({
      next: (value) => {
        if (!active) return
        this.value = value
        this.options.next?.(value)
        this.host.requestUpdate()
      },
      error: (error: unknown) => {
        if (!active) return
        this.error = error
        this.host.requestUpdate()
      },
    })
    // `stop()` may run before `subscribe` returns; the flag ignores late values.
    this.subscription = {
      unsubscribe: () => {
        active = false
        subscription.unsubscribe()
      },
    }
  }

  private stop(): void {
    this.subscription?.unsubscribe()
    this.subscription = undefined
    this.args = undefined
  }
}

function sameArgs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]))
}
