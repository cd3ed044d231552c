import type { ReactiveControllerHost } from 'lit'
import type { MessageFields } from '../../contracts/index.ts'
import { messagesOf, type LiveDoc } from '../../services/index.ts'
import type { PartitionDetail } from '../internal/command-events.ts'
import { emit } from '../internal/emit.ts'
import { TagCommands } from '../internal/tag-commands.ts'

type Host = ReactiveControllerHost & HTMLElement & { readonly room: string }

/**
 * The chat's commands, as the board has its own (`task-commands.ts`): each
 * one issues the facade's command, dispatches its user-action event
 * (`rt-message-send`, …) and, once the server answers, `rt-command-confirm`
 * or `rt-command-reject`. The tag keeps only what is on the screen.
 */
export class ChatCommands extends TagCommands<Host> {
  protected partition(): PartitionDetail {
    return { room: this.host.room }
  }

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
}
