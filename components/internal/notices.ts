import { html, type TemplateResult } from 'lit'
import { en } from '../i18n/en.ts'
import type { LocalizeController } from '../i18n/localize.ts'
import type { RtTranslation } from '../i18n/translation.ts'

/** The tag's catalogue when it has a controller, else English (for tags that do not localize). */
const termsOf = (
  localize: LocalizeController | undefined,
): Pick<RtTranslation, 'notConfigured' | 'signInToSee' | 'noAccessTo'> & {
  streamFailed: string
} =>
  localize
    ? {
        notConfigured: (tag) => localize.term('notConfigured', tag),
        signInToSee: (what) => localize.term('signInToSee', what),
        noAccessTo: (what) => localize.term('noAccessTo', what),
        streamFailed: localize.term('streamFailed'),
      }
    : en

/**
 * What a tag shows when neither an `<rt-provider>` above it nor `configure()`
 * supplies a facade: a readable hint instead of an exception.
 */
export function notConfigured(tag: string, localize?: LocalizeController): TemplateResult {
  return html`<p class="notice" part="notice" role="status" data-state="not-configured">${termsOf(localize).notConfigured(tag)}</p>`
}

/**
 * What a tag that needs a signed-in user shows while nobody is signed in.
 * `what` is already in the page's language (e.g. `localize.term('theBoard')`).
 */
export function signedOut(what: string, localize?: LocalizeController): TemplateResult {
  return html`<p class="notice" part="notice" role="status" data-state="signed-out">${termsOf(localize).signInToSee(what)}</p>`
}

/** What a tag shows when the server refuses the signed-in user this partition (403). */
export function noAccess(what: string, localize?: LocalizeController): TemplateResult {
  return html`<p class="notice" part="notice" role="status" data-state="no-access">${termsOf(localize).noAccessTo(what)}</p>`
}

/**
 * What a tag shows, above the rest, when a stream it follows has failed: it
 * no longer updates, and saying so beats a view that silently goes stale.
 * The error's own message is not shown (it may be a server's wording); it
 * stays on the stream's `ObservableController.error`.
 */
export function streamFailed(localize?: LocalizeController): TemplateResult {
  return html`<p class="notice" part="notice stream-error" role="alert" data-state="stream-failed">${termsOf(localize).streamFailed}</p>`
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
