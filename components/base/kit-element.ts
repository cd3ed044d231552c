import { html, LitElement, type ReactiveController } from 'lit'
import type { UserProfile } from '../../contracts/index.ts'
import type { Kit, KitError, SessionView } from '../../services/index.ts'
import { KitController } from '../controllers/kit-controller.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import { LocalizeController } from '../i18n/localize.ts'
import { notConfigured, streamFailed } from '../internal/notices.ts'

/**
 * Base of every tag that uses the facade: finds it ({@link KitController}),
 * follows the session and the errors, shows the "not configured" notice,
 * and, above what the tag renders, a notice when one of its streams (any
 * {@link ObservableController} it holds) has failed, so a failed stream is
 * never silent. A tag's {@link KitElement.renderWith} only deals with a
 * facade that is there.
 *
 * @example
 * class RtTaskCount extends KitElement {
 *   @property() board = ''
 *   private readonly tasks = new ObservableController(this, {
 *     args: () => [this.kit.value, this.board, this.user?.id],
 *     source: (kit, board, userId) => (kit && board && userId ? tasksOf(kit).tasks$(board) : undefined),
 *     initial: [] as readonly LiveDoc<TaskFields>[],
 *   })
 *   protected renderWith() {
 *     return this.user ? html`${this.tasks.value.length} tasks` : signedOut('the tasks', this.localize)
 *   }
 * }
 */
export abstract class KitElement extends LitElement {
  /** Every stream this tag follows; first, so the controllers below find it. */
  readonly #streams: Array<ObservableController<unknown>> = []

  /** The facade: from the nearest `<rt-provider>`, else `configure()`'s default. */
  protected readonly kit = new KitController(this)

  /** Strings, dates and counts in the language of the nearest `lang` (see `LocalizeController`). */
  protected readonly localize = new LocalizeController(this)

  /** Who is signed in; `undefined` until the facade reports it. */
  protected readonly session = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.session$,
    initial: undefined as SessionView | undefined,
  })

  /** The facade's errors the user has not dismissed yet, oldest first. */
  protected readonly kitErrors = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.errors$,
    initial: [] as readonly KitError[],
  })

  /**
   * The signed-in user, or `undefined` while nobody is. Streams that depend on
   * it take `this.user?.id` as an argument, so they restart when the user
   * changes but not when the same user's session is renewed.
   */
  protected get user(): UserProfile | undefined {
    const session = this.session.value
    return session?.status === 'signedIn' ? session.user : undefined
  }

  override addController(controller: ReactiveController): void {
    super.addController(controller)
    if (controller instanceof ObservableController) this.#streams.push(controller)
  }

  protected override render(): unknown {
    const kit = this.kit.value
    if (!kit) return notConfigured(this.localName, this.localize)
    const failed = this.#streams.some((stream) => stream.error !== undefined)
    return failed ? html`${streamFailed(this.localize)}${this.renderWith(kit)}` : this.renderWith(kit)
  }

  /** What the tag shows once a facade is there. */
  protected abstract renderWith(kit: Kit): unknown
}
