/**
 * `<poll-widget poll="lunch">`: live counts per choice, your own vote
 * (changeable), refusals with a clear message, the offline state. Built only
 * on rtkit's public API: `KitElement` and its helpers from `rtkit/element`,
 * and `kit.collection('votes')`, the collection `rtkit.config.mjs` declares.
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
import { ConnectionStatus, QueryStatus, type Kit, type KitError, type LiveDoc } from 'rtkit/services'
import { CHOICES, CLOSED_PREFIX } from './choices.mjs'

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
  static override properties = { poll: { type: String, reflect: true } }
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

  constructor() {
    super()
    this.poll = ''
  }

  private readonly votes = new ObservableController(this, {
    args: () => [this.kit.value, this.poll, this.user?.id],
    source: (kit, poll, userId) => (kit && poll && userId ? kit.collection<Vote>('votes').where({ poll }).watch() : undefined),
    initial: [] as readonly LiveDoc<Vote>[],
  })

  private readonly status = new ObservableController(this, {
    args: () => [this.kit.value, this.poll, this.user?.id],
    source: (kit, poll, userId) => (kit && poll && userId ? kit.collection('votes').where({ poll }).status() : undefined),
    initial: undefined as QueryStatus | undefined,
  })

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
    return html`
      ${down ? offline() : nothing}
      <fieldset class="choices" part="choices" aria-busy=${this.status.value === QueryStatus.ready ? 'false' : 'true'}>
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
      ${errors.map(
        (error) =>
          html`<p class="error" part="error" role="alert" data-code=${error.code}>
            ${this.explain(error)} <button type="button" @click=${() => kit.dismissError(error.id)}>Dismiss</button>
          </p>`,
      )}
    `
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
