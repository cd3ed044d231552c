import { html, nothing, type TemplateResult } from 'lit'
import { repeat } from 'lit/directives/repeat.js'
import type { KitError } from '../../services/index.ts'
import type { LocalizeController } from '../i18n/localize.ts'

/** An extra button beside an error, e.g. "Try again" on a conflict. */
export interface ErrorAction {
  label: string
  run: () => void
}

/**
 * The errors a tag shows: each with its message, an optional action and a
 * Dismiss button. New entries are announced (`aria-live`).
 */
export function errorList(
  localize: LocalizeController,
  errors: readonly KitError[],
  dismiss: (error: KitError) => void,
  actionFor: (error: KitError) => ErrorAction | undefined = () => undefined,
): TemplateResult {
  return html`<div class="errors ${errors.length > 0 ? 'has-errors' : ''}" part="errors" aria-live="assertive">
    ${repeat(
      errors,
      (error) => error.id,
      (error) => {
        const action = actionFor(error)
        return html`<div class="error" part="error" data-code=${error.code}>
          <span class="error-message">${error.message}</span>
          ${action ? html`<button type="button" part="error-action" @click=${action.run}>${action.label}</button>` : nothing}
          <button
            type="button"
            part="error-dismiss"
            aria-label=${localize.term('dismissError', error.message)}
            @click=${() => dismiss(error)}
          >
            ${localize.term('dismiss')}
          </button>
        </div>`
      },
    )}
  </div>`
}
