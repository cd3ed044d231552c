import type { Observable } from 'rxjs'
import { messagesCollection, type MessageFields } from '../../contracts/index.ts'
import type { CommandReceipt } from '../commands/receipt.ts'
import type { Kit } from '../kit.ts'
import { perKit } from './per-kit.ts'
import type { LiveDoc } from '../live/live-doc.ts'

/**
 * Opt-in shortcuts for the built-in `messages` collection, built only on
 * the generic core (`kit.collection(messagesCollection)`). `<rt-chat>` uses
 * them.
 */

/** What {@link messagesOf} gives. */
export interface MessageShortcuts {
  /** Messages of a room, sorted by `createdAt`, then id. */
  messages$(room: string): Observable<readonly LiveDoc<MessageFields>[]>
  /** Shows at once with the author as the signed-in user (the server sets the author from the token). */
  sendMessage(room: string, text: string, options?: { id?: string }): CommandReceipt
  editMessage(id: string, text: string): CommandReceipt
  removeMessage(id: string): CommandReceipt
}

/**
 * The message shortcuts of `kit` (one set per kit).
 *
 * @example
 * import { messagesOf } from 'rtkit/services'
 * messagesOf(kit).messages$('lobby').subscribe(render)
 * messagesOf(kit).sendMessage('lobby', 'Hello')
 */
export const messagesOf: (kit: Kit) => MessageShortcuts = perKit((kit) => messageShortcuts(kit))

function messageShortcuts(kit: Kit): MessageShortcuts {
  const messages = kit.collection(messagesCollection)
  // What the server derives from the token, shown at once and never sent.
  const derived = (user: { id: string; name: string }) => ({ author: user.id, authorName: user.name })
  return {
    messages$: (room) => messages.where({ room }).watch(),
    sendMessage: (room, text, { id } = {}) => messages.insert({ room, text, ...(id !== undefined ? { id } : {}) }, { derived }),
    editMessage: (id, text) => messages.update(id, { text }),
    removeMessage: (id) => messages.remove(id),
  }
}
