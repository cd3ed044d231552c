import { ContextProvider } from '@lit/context'
import { html, LitElement, type PropertyValues } from 'lit'
import { property } from 'lit/decorators.js'
import { createKit } from '../../services/index.ts'
import type { AuthEndpoint, Kit } from '../../services/index.ts'
import { kitContext } from '../internal/kit-context.ts'
import { kitKey, resolveKitUrls } from '../internal/resolve-urls.ts'
import { providerStyles } from './provider.styles.ts'

/**
 * @summary Supplies one facade (and so one WebSocket) to every rtkit tag inside it.
 *
 * With `api-url` and `realtime-url` it creates the facade when connected and
 * disposes it when removed (a move within the page keeps it). Setting the
 * `kit` property instead provides a facade you created; that one is never
 * disposed by the provider. Without either, tags inside fall back to the
 * default set with `configure()`. The provider itself renders nothing but
 * its children.
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

  /** Prefix of the storage keys of the facade it creates, so two providers on one origin keep separate sessions. */
  @property({ attribute: 'storage-key', reflect: true }) storageKey = ''

  /**
   * Sign in the host app's own users instead of rtkit accounts: a URL
   * (relative to the page) answering `{ "token": "…" }` with the page's
   * cookies, or, as a property, a function returning the token. See README,
   * "Signing in your own users".
   */
  @property({ attribute: 'auth-endpoint' }) authEndpoint: AuthEndpoint | '' = ''

  /** A facade to provide instead of creating one (takes precedence over the URLs). */
  @property({ attribute: false }) kit: Kit | undefined = undefined

  private readonly provider = new ContextProvider(this, { context: kitContext, initialValue: undefined })
  private owned: { kit: Kit; key: string } | undefined = undefined
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

  /** Provides the right facade for the current properties, creating or disposing an owned one as needed. */
  private sync(): void {
    let next: Kit | undefined = this.kit
    if (!next && this.apiUrl && this.realtimeUrl) {
      const options = {
        apiUrl: this.apiUrl,
        realtimeUrl: this.realtimeUrl,
        ...(this.storageKey ? { storageKey: this.storageKey } : {}),
        ...(this.authEndpoint ? { authEndpoint: this.authEndpoint } : {}),
      }
      const key = kitKey(options)
      if (this.owned?.key !== key) {
        this.release()
        this.owned = { kit: createKit({ ...options, ...resolveKitUrls(options) }), key }
      }
      next = this.owned!.kit
    } else {
      this.release()
    }
    if (this.provider.value !== next) this.provider.setValue(next)
  }

  private release(): void {
    const owned = this.owned
    this.owned = undefined
    if (owned) void owned.kit.dispose()
  }
}
