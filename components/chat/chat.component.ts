import { html, nothing, type PropertyValues } from 'lit'
import { property, state } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import { map } from 'rxjs'
import { messagesCollection, type MessageFields } from '../../contracts/index.ts'
import { messagesOf, QueryStatus, type Kit, type LiveDoc } from '../../services/index.ts'
import { KitElement } from '../base/kit-element.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import type { LocalizeController } from '../i18n/localize.ts'
import { emit } from '../internal/emit.ts'
import { errorList } from '../internal/error-list.ts'
import { errorsFor } from '../internal/errors-for.ts'
import { noAccess, signedOut } from '../internal/notices.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { ChatCommands } from './chat-commands.ts'
import type { MessageChangeDetail } from './chat-events.ts'
import { chatStyles } from './chat.styles.ts'

export type { MessageChangeDetail, MessageEditDetail, MessageRemoveDetail, MessageSendDetail, RtChatEventMap } from './chat-events.ts'

/** How close to the bottom (px) still counts as "reading the newest". */
const STICK_DISTANCE = 48

type ChatMessage = LiveDoc<MessageFields>

/**
 * @summary A live chat room: the message list stays scrolled to the newest
 * message, a composer sends, and your own messages can be edited or deleted.
 *
 * @example
 * <rt-chat room="lobby"></rt-chat>
 *
 * @event {CustomEvent<MessageSendDetail>} rt-message-send - A message was sent.
 * @event {CustomEvent<MessageEditDetail>} rt-message-edit - An own message was edited.
 * @event {CustomEvent<MessageRemoveDetail>} rt-message-remove - An own message was deleted.
 * @event {CustomEvent<MessageChangeDetail>} rt-message-change - A message changed on the server, by this user (`origin: 'local'`) or anyone else (`'remote'`).
 * @event {CustomEvent<CommandConfirmDetail>} rt-command-confirm - The server confirmed one of the user's changes.
 * @event {CustomEvent<CommandRejectDetail>} rt-command-reject - One of the user's changes was refused and rolled back.
 *
 * @csspart log - The scrolling message list (`role="log"`).
 * @csspart message - One message; also `message-own` and `message-pending` when they apply.
 * @csspart author - The sender's name.
 * @csspart time - When it was sent.
 * @csspart text - The message text.
 * @csspart message-actions - The Edit / Delete buttons of an own message.
 * @csspart edit-input - The textarea while editing.
 * @csspart composer - The form at the bottom.
 * @csspart input - The composer's textarea.
 * @csspart send - The Send button.
 * @csspart errors - The list of problems (e.g. a message that could not be sent).
 * @csspart error - One problem.
 * @csspart error-dismiss - Its Dismiss button.
 * @csspart error-action - "Apply again" beside a conflict: the same edit on the newer version.
 * @csspart notice - "Not configured" / "Sign in" hints.
 *
 * @cssproperty --rt-chat-height - Height of the whole widget (default 24rem).
 * @cssproperty --rt-chat-own-background - Background of your own messages.
 * @cssproperty --rt-color-scheme - `light` (default), `dark`, or `auto` / `light dark` to follow the OS.
 * @cssproperty --rt-color-text - Text colour.
 * @cssproperty --rt-color-muted - Timestamps and hints.
 * @cssproperty --rt-color-surface - Background.
 * @cssproperty --rt-color-surface-alt - Background of others' messages.
 * @cssproperty --rt-color-border - Borders.
 * @cssproperty --rt-color-accent - Send button and focus ring.
 * @cssproperty --rt-color-danger - Errors.
 * @cssproperty --rt-radius - Corner radius.
 * @cssproperty --rt-space - Base spacing.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtChat extends KitElement {
  static override styles = [themeStyles, chatStyles]

  /** The room to show and post to, e.g. `lobby`. */
  @property({ reflect: true }) room = ''

  @state() private editing: string | undefined = undefined

  private get log(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.log') ?? null
  }

  private readonly messages = new ObservableController(this, {
    args: () => [this.kit.value, this.room, this.user?.id],
    source: (kit, room, userId) => (kit && room && userId ? messagesOf(kit).messages$(room) : undefined),
    initial: [] as readonly ChatMessage[],
  })

  /** Every change to the room's messages, as `rt-message-change`. */
  protected readonly changes = new ObservableController(this, {
    args: () => [this.kit.value, this.room, this.user?.id],
    source: (kit, room, userId) =>
      kit && room && userId
        ? kit
            .collection(messagesCollection)
            .where({ room })
            .changes()
            .pipe(map((change) => ({ ...change, room })))
        : undefined,
    initial: undefined as MessageChangeDetail | undefined,
    next: (change) => change && emit(this, 'rt-message-change', change),
  })

  private readonly queryStatus = new ObservableController(this, {
    args: () => [this.kit.value, this.room, this.user?.id],
    source: (kit, room, userId) => (kit && room && userId ? kit.collection(messagesCollection).where({ room }).status() : undefined),
    initial: undefined as QueryStatus | undefined,
  })

  private readonly commands = new ChatCommands(this, () => this.kit.value, this.localize)

  private stickToBottom = true

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    const log = this.log
    if (log) this.stickToBottom ||= log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_DISTANCE
    if (changed.has('room')) this.stickToBottom = true
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    const log = this.log
    if (log && this.stickToBottom) log.scrollTop = log.scrollHeight
    this.stickToBottom = false
  }

  protected override renderWith(kit: Kit) {
    const me = this.user?.id
    const t = this.localize
    if (!me) return signedOut(this.room ? t.term('theRoom', this.room) : t.term('theChat'), t)
    if (this.queryStatus.value === QueryStatus.forbidden) return noAccess(t.term('theRoom', this.room), t)
    const messages = this.messages.value
    const errors = errorsFor(this.kitErrors.value, messagesCollection.name, messagesCollection.partitionKey, this.room, messages)
    return html`
      <div class="log" part="log" role="log" aria-label=${t.term('messagesIn', this.room)} tabindex="0" @scroll=${this.onScroll}>
        ${messages.length === 0 && this.queryStatus.value !== QueryStatus.error ? html`<p class="empty">${t.term('noMessages')}</p>` : nothing}
        ${repeat(
          messages,
          (message) => message.id,
          (message) => this.renderMessage(message, message.author === me),
        )}
      </div>
      ${errorList(
        t,
        errors,
        (error) => kit.dismissError(error.id),
        (error) => this.commands.errorAction(error),
      )}
      <form class="composer" part="composer" @submit=${this.send}>
        <label class="visually-hidden" for="composer-input">${t.term('messageTo', this.room)}</label>
        <textarea
          id="composer-input"
          part="input"
          rows="1"
          maxlength="2000"
          placeholder=${t.term('writeMessage')}
          @keydown=${this.onComposerKeydown}
        ></textarea>
        <button class="primary" part="send" type="submit">${t.term('send')}</button>
      </form>
    `
  }

  private renderMessage(message: ChatMessage, own: boolean) {
    const parts = ['message', own ? 'message-own' : '', message.pending ? 'message-pending' : ''].filter(Boolean).join(' ')
    const editing = own && this.editing === message.id
    const t = this.localize
    return html`<div
      class="message ${own ? 'own' : ''} ${message.pending ? 'pending' : ''}"
      part=${parts}
      data-id=${message.id}
      aria-busy=${message.pending ? 'true' : 'false'}
    >
      <div class="meta">
        <span class="author" part="author">${own ? t.term('you') : message.authorName}</span>
        <time part="time" datetime=${message.createdAt}>${formatTime(message.createdAt, t)}</time>
        ${message.pending ? html`<span>${t.term('sending')}</span>` : nothing}
      </div>
      ${
        editing
          ? html`<label class="visually-hidden" for="edit-${message.id}">${t.term('editMessage')}</label>
              <textarea
                id="edit-${message.id}"
                part="edit-input"
                maxlength="2000"
                .value=${message.text}
                @keydown=${(event: KeyboardEvent) => this.onEditKeydown(event, message)}
              ></textarea>`
          : html`<div class="text" part="text">${message.text}</div>`
      }
      ${
        own
          ? html`<div class="message-actions" part="message-actions">
              ${
                editing
                  ? html`<button type="button" @click=${() => this.saveEdit(message)}>${t.term('save')}</button>
                      <button type="button" @click=${this.cancelEdit}>${t.term('cancel')}</button>`
                  : html`<button
                        type="button"
                        aria-label=${t.term('editMessageNamed', message.text)}
                        @click=${() => this.startEdit(message)}
                      >
                        ${t.term('edit')}
                      </button>
                      <button
                        type="button"
                        aria-label=${t.term('deleteMessageNamed', message.text)}
                        @click=${() => this.removeMessage(message)}
                      >
                        ${t.term('delete')}
                      </button>`
              }
            </div>`
          : nothing
      }
    </div>`
  }

  private onScroll(): void {
    const log = this.log
    if (log) this.stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_DISTANCE
  }

  private onComposerKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      ;(event.currentTarget as HTMLTextAreaElement).form?.requestSubmit()
    }
  }

  private send(event: SubmitEvent): void {
    event.preventDefault()
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('#composer-input')
    if (!input || !this.commands.send(input.value.trim())) return
    input.value = ''
    this.stickToBottom = true
    this.requestUpdate()
  }

  private async startEdit(message: ChatMessage): Promise<void> {
    this.editing = message.id
    await this.updateComplete
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>(`[part="edit-input"]`)
    input?.focus()
    input?.select()
  }

  private cancelEdit(): void {
    const id = this.editing
    this.editing = undefined
    if (id) void this.updateComplete.then(() => this.focusAction(id))
  }

  private onEditKeydown(event: KeyboardEvent, message: ChatMessage): void {
    if (event.key === 'Escape') {
      event.preventDefault()
      this.cancelEdit()
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      this.saveEdit(message)
    }
  }

  private saveEdit(message: ChatMessage): void {
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>(`[part="edit-input"]`)
    if (!input) return
    this.commands.edit(message, input.value.trim())
    this.cancelEdit()
  }

  private removeMessage(message: ChatMessage): void {
    this.commands.remove(message)
    this.renderRoot.querySelector<HTMLTextAreaElement>('#composer-input')?.focus()
  }

  private focusAction(id: string): void {
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] .message-actions button`)?.focus()
  }
}

/** The time of day in the page's language (`Intl.DateTimeFormat`). */
function formatTime(iso: string, localize: LocalizeController): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : localize.date(date, { hour: '2-digit', minute: '2-digit' })
}
