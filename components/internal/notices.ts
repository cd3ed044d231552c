import { html, type TemplateResult } from 'lit'

/**
 * What a tag shows when neither an `<rt-provider>` above it nor `configure()`
 * supplies a facade: a readable hint instead of an exception.
 */
export function notConfigured(tag: string): TemplateResult {
  return html`<p class="notice" part="notice" role="status" data-state="not-configured">
    &lt;${tag}&gt; is not configured: place it inside &lt;rt-provider api-url="…" realtime-url="…"&gt; or call configure({ apiUrl,
    realtimeUrl }) once on the page.
  </p>`
}

/** What a tag that needs a signed-in user shows while nobody is signed in. */
export function signedOut(what: string): TemplateResult {
  return html`<p class="notice" part="notice" role="status" data-state="signed-out">Sign in to see ${what}.</p>`
}

/** What a tag shows when the server refuses the signed-in user this partition (403). */
export function noAccess(what: string): TemplateResult {
  return html`<p class="notice" part="notice" role="status" data-state="no-access">You do not have access to ${what}.</p>`
}

/**
 * What a tag shows, above the rest, when a stream it follows has failed: it
 * no longer updates, and saying so beats a view that silently goes stale.
 * The error's own message is not shown (it may be a server's wording); it
 * stays on the stream's `ObservableController.error`.
 */
export function streamFailed(): TemplateResult {
  return html`<p class="notice" part="notice stream-error" role="alert" data-state="stream-failed">
    This view stopped updating because of an error. Reload the page to try again.
  </p>`
}

/**
 * What a tag shows, above the rest, while the realtime connection is down
 * (`kit.connection$` is `offline` or `reconnecting`): the view may be stale,
 * and changes are kept and sent when the connection is back.
 *
 * @example
 * ${this.connection.value === ConnectionStatus.offline ? offline() : nothing}
 */
export function offline(): TemplateResult {
  return html`<p class="notice" part="notice offline" role="status" data-state="offline">
    You are offline. Your changes are kept and sent when the connection is back.
  </p>`
}
