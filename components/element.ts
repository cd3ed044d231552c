/**
 * `rtkit/element`: what a tag of your own needs, and nothing registered
 * when imported. The built-in tags are made of exactly these parts: the
 * base class that finds the facade, the controllers that follow its
 * streams, the errors of one collection and partition, confirm/reject
 * reporting, the notices for the not-configured, signed-out, forbidden,
 * offline and failed states, and the theme.
 *
 * @example
 * import { KitElement, ObservableController, errorsFor, errorList, reportOutcome } from 'rtkit/element'
 * class MyNotes extends KitElement {
 *   @property() page = ''
 *   private readonly notes = new ObservableController(this, {
 *     args: () => [this.kit.value, this.page, this.user?.id],
 *     source: (kit, page, userId) => (kit && page && userId ? kit.collection('notes').where({ page }).watch() : undefined),
 *     initial: [],
 *   })
 *   protected renderWith(kit: Kit) {
 *     const errors = errorsFor(this.kitErrors.value, 'notes', 'page', this.page, this.notes.value)
 *     return html`${this.notes.value.map((note) => html`<p>${note.text}</p>`)} ${errorList(this.localize, errors, (e) => kit.dismissError(e.id))}`
 *   }
 * }
 * customElements.define('my-notes', MyNotes)
 */
export { KitElement } from './base/kit-element.ts'
export { KitController } from './controllers/kit-controller.ts'
export { ObservableController } from './controllers/observable-controller.ts'
export type { ObservableControllerOptions } from './controllers/observable-controller.ts'
export { emit } from './internal/emit.ts'
export type { CustomEventName, RtEventName, RtEventDetail } from './internal/emit.ts'
export { reportOutcome } from './internal/command-events.ts'
export type {
  CommandConfirmDetail,
  CommandEventMap,
  CommandRejectDetail,
  PartitionDetail,
  ReportOutcomeOptions,
  RtCommandEventMap,
} from './internal/command-events.ts'
export { errorsFor } from './internal/errors-for.ts'
export { errorList } from './internal/error-list.ts'
export { applyAgain } from './internal/apply-again.ts'
export type { ErrorAction } from './internal/error-list.ts'
export { noAccess, notConfigured, offline, signedOut, streamFailed } from './internal/notices.ts'
export { themeStyles } from './internal/theme.styles.ts'
// Registers nothing: the translations a page adds and the languages built in, for a tag that is not a KitElement.
export { LocalizeController, registerTranslation, builtInLanguages } from './i18n/localize.ts'
