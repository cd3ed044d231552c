import { ContextProvider } from '@lit/context'
import { html, LitElement, type PropertyValues } from 'lit'
import { property } from 'lit/decorators.js'
import type { AuthEndpoint, Kit, ServiceFactory } from '../../services/index.ts'
import { kitContext } from '../internal/kit-context.ts'
import { acquireKit, type KitLease } from '../internal/kit-registry.ts'
import { kitKey } from '../internal/resolve-urls.ts'
import { providerStyles } from './provider.styles.ts'

/**
 * @summary Supplies one facade (and so one WebSocket) to every rtkit tag inside it.
 *
 * With `api-url` and `realtime-url` it takes the page's shared facade for
 * those URLs and `storage-key` when connected, and lets go of it when
 * removed (a move within the page keeps it). Every provider, and
 * `configure()`, with the same URLs and storage key on the page, from any
 * bundle or copy of rtkit, shares one facade: one session (signing in or
 * out through one signs in or out all) and one WebSocket. The facade is
 * disposed when the last of them lets go. A provider whose other options
 * (`auth-endpoint`) differ from the shared facade's gets the shared one and
 * a `console.warn`; give it another `storage-key` for a session of its own.
 *
 * Setting the `kit` property instead provides a facade you created; that
 * one is never disposed by the provider. Without either, tags inside fall
 * back to the default set with `configure()`. The provider itself renders
 * nothing but its children.
 *
 * @example
 * <rt-provider api-url="/api" realtime-url="/deepstream">
 *   <rt-login></rt-login>
 *   <rt-task-board board="launch"></rt-task-board>
 * </rt-provider>
 * <!-- the host app signs its users in: -->
 * <rt-provider api-url="https://api.example.com" realtime-url="wss://rt.example.com/deepstream" auth-endpoint="/rtkit/token">…</rt-provider>
 *
 * @slot - The tags (and any other content) that share the facade.
 */
export class RtProvider extends LitElement {
  static override styles = providerStyles

  /** Base URL of the HTTP API; relative URLs resolve against the page. */
  @property({ attribute: 'api-url', reflect: true }) apiUrl = ''

  /** deepstream WebSocket URL (`ws:`/`wss:`, or a path on this origin like `/deepstream`). */
  @property({ attribute: 'realtime-url', reflect: true }) realtimeUrl = ''

  /** Prefix of the storage keys of its facade: providers with the same URLs and storage key share a session, another key keeps a separate one. */
  @property({ attribute: 'storage-key', reflect: true }) storageKey = ''

  /**
   * Sign in the host app's own users instead of rtkit accounts: a URL
   * (relative to the page) answering `{ "token": "…" }` with the page's
   * cookies, or, as a property, a function returning the token. See README,
   * "Signing in your own users".
   */
  @property({ attribute: 'auth-endpoint' }) authEndpoint: AuthEndpoint | '' = ''

  /**
   * Your own async services for the facade it creates, as `createKit({ services })`
   * takes them (`{ polls: (ctx) => new PollService(ctx) }`); tags reach one with
   * `kit.service('polls')`. Set it before the provider connects: the facade is made then.
   */
  @property({ attribute: false }) services: Readonly<Record<string, ServiceFactory>> | undefined = undefined

  /** A facade to provide instead of creating one (takes precedence over the URLs). */
  @property({ attribute: false }) kit: Kit | undefined = undefined

  private readonly provider = new ContextProvider(this, { context: kitContext, initialValue: undefined })
  private held: { lease: KitLease; key: string } | undefined = undefined
  private disposeScheduled = false

  /** The facade the tags inside receive, if any. */
  get value(): Kit | undefined {
    return this.provider.value
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.disposeScheduled = false
    this.sync()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    // Moving the provider (disconnect + connect in one task) keeps its facade.
    this.disposeScheduled = true
    queueMicrotask(() => {
      if (!this.disposeScheduled || this.isConnected) return
      this.disposeScheduled = false
      this.release()
      this.provider.setValue(undefined)
    })
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    if (this.isConnected) this.sync()
  }

  protected override render() {
    return html`<slot></slot>`
  }

  /** Provides the right facade for the current properties, taking or letting go of a shared one as needed. */
  private sync(): void {
    let next: Kit | undefined = this.kit
    if (!next && this.apiUrl && this.realtimeUrl) {
      const options = {
        apiUrl: this.apiUrl,
        realtimeUrl: this.realtimeUrl,
        ...(this.storageKey ? { storageKey: this.storageKey } : {}),
        ...(this.authEndpoint ? { authEndpoint: this.authEndpoint } : {}),
        ...(this.services ? { services: this.services } : {}),
      }
      const key = kitKey(options)
      if (this.held?.key !== key) {
        this.release()
        this.held = { lease: acquireKit(options, '<rt-provider>'), key }
      }
      next = this.held!.lease.kit
    } else {
      this.release()
    }
    if (this.provider.value !== next) this.provider.setValue(next)
  }

  private release(): void {
    const held = this.held
    this.held = undefined
    held?.lease.release()
  }
}
