import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { MessageFields } from '../../contracts/index.ts'
import { messagesOf, type CommandReceipt, type Kit, type KitError, type LiveDoc } from '../../services/index.ts'
import type { LocalizeController } from '../i18n/localize.ts'
import { applyAgain } from '../internal/apply-again.ts'
import { reportOutcome } from '../internal/command-events.ts'
import { emit } from '../internal/emit.ts'
import type { ErrorAction } from '../internal/error-list.ts'

type Host = ReactiveControllerHost & HTMLElement & { readonly room: string }

/**
 * The chat's commands, as the board has its own (`task-commands.ts`): each
 * one issues the facade's command, dispatches its user-action event
 * (`rt-message-send`, …) and, once the server answers, `rt-command-confirm`
 * or `rt-command-reject`. The tag keeps only what is on the screen.
 */
export class ChatCommands implements ReactiveController {
  private readonly host: Host
  private readonly kit: () => Kit | undefined
  private readonly localize: LocalizeController

  constructor(host: Host, kit: () => Kit | undefined, localize: LocalizeController) {
    this.host = host
    this.kit = kit
    this.localize = localize
    host.addController(this)
  }

  hostConnected(): void {}

  /** Sends `text` to the room; `false` when there is nothing to send. */
  send(text: string): boolean {
    const kit = this.kit()
    const room = this.host.room
    if (!kit || !room || text === '') return false
    const { docId, command } = this.report(messagesOf(kit).sendMessage(room, text))
    emit(this.host, 'rt-message-send', { room, id: docId, text, commandId: command.id })
    return true
  }

  /** Replaces an own message's text; nothing when it is empty or unchanged. */
  edit(message: LiveDoc<MessageFields>, text: string): void {
    const kit = this.kit()
    if (!kit || text === '' || text === message.text) return
    const { command } = this.report(messagesOf(kit).editMessage(message.id, text))
    emit(this.host, 'rt-message-edit', { room: this.host.room, id: message.id, text, commandId: command.id })
  }

  /** Deletes an own message. */
  remove(message: LiveDoc<MessageFields>): void {
    const kit = this.kit()
    if (!kit) return
    const { command } = this.report(messagesOf(kit).removeMessage(message.id))
    emit(this.host, 'rt-message-remove', { room: this.host.room, id: message.id, commandId: command.id })
  }

  /** "Apply again" beside a conflicting edit: the same edit on the newer version. */
  retry(error: KitError): ErrorAction | undefined {
    const kit = this.kit()
    return kit ? applyAgain(kit, error, (receipt) => this.report(receipt), this.localize.term('applyAgain')) : undefined
  }

  /** Dispatches `rt-command-confirm` / `rt-command-reject` once the command settles. */
  private report(receipt: CommandReceipt): CommandReceipt {
    reportOutcome(this.host, receipt, { room: this.host.room })
    return receipt
  }
}
