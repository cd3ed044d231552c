import { ContextEvent } from '@lit/context'
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Kit } from '../../services/index.ts'
import { readDefaultKit, watchDefaultKit } from '../internal/default-kit.ts'
import { kitContext } from '../internal/kit-context.ts'

/** Tag name of the provider element, for waiting on a late definition. */
const PROVIDER_TAG = 'rt-provider'

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
  private unsubscribeContext: (() => void) | undefined = undefined
  private unwatchDefault: (() => void) | undefined = undefined
  private connected = false

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host
    host.addController(this)
  }

  hostConnected(): void {
    this.connected = true
    this.unwatchDefault = watchDefaultKit(() => this.refresh())
    this.requestContext()
    // A provider whose definition loads after this tag's (separate bundles)
    // cannot answer yet; ask again once it is defined.
    if (this.fromContext === undefined && customElements.get(PROVIDER_TAG) === undefined) {
      void customElements.whenDefined(PROVIDER_TAG).then(() => {
        if (this.connected && this.unsubscribeContext === undefined) this.requestContext()
      })
    }
    this.refresh()
  }

  hostDisconnected(): void {
    this.connected = false
    this.unsubscribeContext?.()
    this.unsubscribeContext = undefined
    this.unwatchDefault?.()
    this.unwatchDefault = undefined
    this.fromContext = undefined
  }

  private requestContext(): void {
    this.host.dispatchEvent(
      new ContextEvent(
        kitContext,
        this.host,
        (kit, unsubscribe) => {
          if (unsubscribe !== this.unsubscribeContext) {
            this.unsubscribeContext?.()
            this.unsubscribeContext = unsubscribe
          }
          this.fromContext = kit
          this.refresh()
        },
        true,
      ),
    )
  }

  private refresh(): void {
    const next = this.fromContext ?? readDefaultKit()
    if (next === this.value) return
    this.value = next
    this.host.requestUpdate()
  }
}
