/**
 * `<poll-widget poll="lunch">`: live counts per choice, your own vote
 * (changeable), refusals with a clear message, the offline state; a "Close
 * poll" button for the poll's creator, and the results, live for everyone,
 * once it is closed (voting is then off). Built only on rtkit's public API:
 * `KitElement` and its helpers from `rtkit/element`, `kit.collection('votes')`,
 * a collection `rtkit.config.mjs` declares, and `kit.service('polls')`, the
 * `PollService` the page injects into the kit.
 */
import { css, html, nothing } from 'lit'
import {
  KitElement,
  ObservableController,
  errorsFor,
  noAccess,
  offline,
  reportOutcome,
  signedOut,
  themeStyles,
  type CommandEventMap,
} from 'rtkit/element'
import type { Subscribable } from 'rxjs'
import { ConnectionStatus, HttpError, QueryStatus, type Kit, type KitError, type LiveDoc } from 'rtkit/services'
import { CHOICES, CLOSED_PREFIX } from './choices.mjs'
import type { PollResults } from './poll-service.ts'

/** A vote as the server stores it (`voter` is derived from the token). */
interface Vote {
  poll: string
  choice: string
  voter: string
}

declare global {
  // poll-command-confirm and poll-command-reject, typed for listeners.
  interface GlobalEventHandlersEventMap extends CommandEventMap<'poll'> {}
}

export class PollWidget extends KitElement {
  static override properties = { poll: { type: String, reflect: true }, closeError: { state: true } }
  static override styles = [
    themeStyles,
    css`
      .choices {
        display: flex;
        gap: var(--rt-space, 0.5rem);
        border: 0;
        padding: 0;
      }
      button[aria-pressed='true'] {
        outline: 2px solid var(--rt-color-accent, #2563eb);
      }
      .count {
        font-weight: bold;
        margin-inline-start: 0.25rem;
      }
      .error {
        color: var(--rt-color-danger, #b91c1c);
      }
    `,
  ]

  /** The poll to show and vote in; a name starting with `closed-` is a closed poll. */
  declare poll: string
  /** Why closing the poll failed, in the server's words. */
  declare closeError: string | undefined
  /** The poll this widget recorded as opened, so it asks once. */
  private opened: string | undefined

  constructor() {
    super()
    this.poll = ''
    this.closeError = undefined
  }

  /** A live view of this poll, while someone is signed in: `view` gets the kit and the poll's name. */
  private live<T>(view: (kit: Kit, poll: string) => Subscribable<T>, initial: T) {
    return new ObservableController(this, {
      args: () => [this.kit.value, this.poll, this.user?.id],
      source: (kit, poll, userId) => (kit && poll && userId ? view(kit, poll) : undefined),
      initial,
    })
  }

  private readonly votes = this.live((kit, poll) => kit.collection<Vote>('votes').where({ poll }).watch(), [] as readonly LiveDoc<Vote>[])
  private readonly status = this.live((kit, poll) => kit.collection('votes').where({ poll }).status(), undefined as QueryStatus | undefined)
  // The poll's own service: who created it, whether that is known yet, and its results once closed.
  private readonly creator = this.live((kit, poll) => kit.service('polls').creator$(poll), undefined as string | undefined)
  private readonly pollsLoaded = this.live((kit, poll) => kit.service('polls').loaded$(poll), undefined as QueryStatus | undefined)
  private readonly results = this.live((kit, poll) => kit.service('polls').results$(poll), undefined as PollResults | undefined)

  private readonly connection = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.connection$,
    initial: undefined as ConnectionStatus | undefined,
  })

  protected override renderWith(kit: Kit) {
    const me = this.user
    if (!me) return signedOut(`the ${this.poll} poll`)
    if (this.status.value === QueryStatus.forbidden) return noAccess(`the ${this.poll} poll`)
    const votes = this.votes.value
    const mine = votes.find((vote) => vote.voter === me.id)
    const errors = errorsFor(this.kitErrors.value, 'votes', 'poll', this.poll, votes)
    const down = this.connection.value === ConnectionStatus.offline || this.connection.value === ConnectionStatus.reconnecting
    const results = this.results.value
    const creator = this.creator.value === me.id && !results && !this.poll.startsWith(CLOSED_PREFIX)
    return html`
      ${down ? offline() : nothing}
      <fieldset
        class="choices"
        part="choices"
        aria-busy=${this.status.value === QueryStatus.ready ? 'false' : 'true'}
        ?disabled=${results !== undefined}
      >
        <legend>${this.poll}</legend>
        ${CHOICES.map((choice) => {
          const count = votes.filter((vote) => vote.choice === choice).length
          return html`<button
            type="button"
            part="choice"
            data-choice=${choice}
            aria-pressed=${mine?.choice === choice ? 'true' : 'false'}
            @click=${() => this.vote(kit, choice, mine)}
          >
            ${choice}<span class="count" part="count">${count}</span>
          </button>`
        })}
      </fieldset>
      ${creator ? html`<button type="button" part="close" @click=${() => this.close(kit)}>Close poll</button>` : nothing}
      ${this.closeError ? html`<p class="error" part="close-error" role="alert">${this.closeError}</p>` : nothing}
      ${results ? this.renderResults(results, me.id) : nothing}
      ${errors.map(
        (error) =>
          html`<p class="error" part="error" role="alert" data-code=${error.code}>
            ${this.explain(error)} <button type="button" @click=${() => kit.dismissError(error.id)}>Dismiss</button>
          </p>`,
      )}
    `
  }

  /** The final tally, as close-poll wrote it: the same in every browser. */
  private renderResults(results: PollResults, me: string) {
    return html`<section part="results" aria-live="polite" data-total=${results.total}>
      <p part="results-title">Closed by ${results.closedBy === me ? 'you' : 'the creator'}: ${results.total} votes</p>
      <ul>
        ${CHOICES.map((choice) => html`<li part="result" data-choice=${choice}>${choice}: ${results.counts[choice] ?? 0}</li>`)}
      </ul>
    </section>`
  }

  /** The first user to open a poll nobody opened yet records it, and so becomes its creator. */
  protected override updated(): void {
    const kit = this.kit.value
    const { poll } = this
    if (!kit || !this.user || !poll || poll.startsWith(CLOSED_PREFIX) || this.opened === poll) return
    if (this.pollsLoaded.value !== QueryStatus.ready) return
    this.opened = poll
    if (this.creator.value === undefined) kit.service('polls').open(poll)
  }

  /** Closes the poll through the PollService; a refusal shows the server's message. */
  private close(kit: Kit): void {
    this.closeError = undefined
    kit
      .service('polls')
      .close(this.poll)
      .catch((error: unknown) => {
        this.closeError = error instanceof HttpError ? `The poll was not closed: ${error.message}` : String(error)
      })
  }

  /** Votes `choice`, or changes your vote to it: shown at once, rolled back if the server refuses. */
  private vote(kit: Kit, choice: string, mine: LiveDoc<Vote> | undefined): void {
    if (mine?.choice === choice) return
    const votes = kit.collection<Vote>('votes')
    const receipt = mine
      ? votes.update(mine.id, { choice })
      : votes.insert({ poll: this.poll, choice }, { derived: (user) => ({ voter: user.id }) })
    reportOutcome(this, receipt, { poll: this.poll }, { prefix: 'poll' })
  }

  /** The refusal in the poll's words; the server's own message otherwise. */
  private explain(error: KitError): string {
    if (error.code === 'forbidden' && this.poll.startsWith(CLOSED_PREFIX)) return 'This poll is closed: your vote was not counted.'
    if (error.code === 'forbidden') return 'Only the voter can change this vote.'
    return error.message
  }
}

if (!customElements.get('poll-widget')) customElements.define('poll-widget', PollWidget)

declare global {
  interface HTMLElementTagNameMap {
    'poll-widget': PollWidget
  }
}
