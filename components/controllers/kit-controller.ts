import { ContextConsumer, ContextRoot } from '@lit/context'
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Kit } from '../../services/index.ts'
import { readDefaultKit, watchDefaultKit } from '../internal/default-kit.ts'
import { kitContext } from '../internal/kit-context.ts'

/** Marks the document whose `ContextRoot` some copy of rtkit attached already. */
const CONTEXT_ROOT = Symbol.for('rtkit.contextRoot')

/**
 * Attaches one `@lit/context` `ContextRoot` to the document, once for every
 * copy of rtkit on the page. The root keeps the requests no provider
 * answered and asks again when a provider connects, which covers a
 * `<rt-provider>` defined after the tags inside it (separate bundles, lazy
 * loading).
 */
function attachContextRoot(): void {
  if (typeof document === 'undefined') return
  const root = document.documentElement as HTMLElement & { [CONTEXT_ROOT]?: true }
  if (root[CONTEXT_ROOT]) return
  root[CONTEXT_ROOT] = true
  new ContextRoot().attach(root)
}

/**
 * Finds the facade for its host: the nearest `<rt-provider>` above it (through
 * `@lit/context`), else the page default set by `configure()`, else none.
 * Asks the host to update whenever the answer changes, so a tag that was
 * "not configured" comes alive as soon as a facade appears.
 *
 * @example
 * class MyWidget extends LitElement {
 *   private readonly kit = new KitController(this)
 *   render() {
 *     return this.kit.value ? html`ready` : html`not configured`
 *   }
 * }
 */
export class KitController implements ReactiveController {
  /** The facade in use, or `undefined` when neither a provider nor `configure()` supplies one. */
  value: Kit | undefined = undefined

  private readonly host: ReactiveControllerHost & HTMLElement
  private fromContext: Kit | undefined = undefined
  private unwatchDefault: (() => void) | undefined = undefined

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host
    attachContextRoot()
    // Added before this controller, so its request is answered before `hostConnected` below runs.
    new ContextConsumer(host, {
      context: kitContext,
      subscribe: true,
      callback: (kit) => {
        this.fromContext = kit
        this.refresh()
      },
    })
    host.addController(this)
  }

  hostConnected(): void {
    this.unwatchDefault = watchDefaultKit(() => this.refresh())
    this.refresh()
  }

  hostDisconnected(): void {
    this.unwatchDefault?.()
    this.unwatchDefault = undefined
    // The consumer has unsubscribed; the next connection asks again, maybe of another provider.
    this.fromContext = undefined
  }

  private refresh(): void {
    const next = this.fromContext ?? readDefaultKit()
    if (next === this.value) return
    this.value = next
    this.host.requestUpdate()
  }
}
