import type { MessageFields } from '../../contracts/index.ts'
import type { DocChange } from '../../services/index.ts'
import type { RtCommandEventMap } from '../internal/command-events.ts'

/** What every message event carries: the room, and the command the user's action issued. */
interface MessageActionDetail {
  /** The room the tag shows. */
  room: string
  /** Id of the message. */
  id: string
  /** Id of the command; `rt-command-confirm` / `rt-command-reject` later carry the same one. */
  commandId: string
}

/** Detail of `rt-message-send`. */
export interface MessageSendDetail extends MessageActionDetail {
  text: string
}

/** Detail of `rt-message-edit`. */
export interface MessageEditDetail extends MessageActionDetail {
  text: string
}

/** Detail of `rt-message-remove`. */
export type MessageRemoveDetail = MessageActionDetail

/**
 * Detail of `rt-message-change`: a message of the room as the server has it,
 * from anyone (`origin: 'local'` for this user's own, with `commandId`);
 * `doc` is the message now (absent when removed), `previous` as known before.
 */
export type MessageChangeDetail = DocChange<MessageFields> & { room: string }

/** The events `<rt-chat>` dispatches. */
export interface RtChatEventMap extends RtCommandEventMap {
  /** The user sent a message (it shows at once, pending until `rt-command-confirm`). */
  'rt-message-send': CustomEvent<MessageSendDetail>
  /** The user edited one of their messages. */
  'rt-message-edit': CustomEvent<MessageEditDetail>
  /** The user deleted one of their messages. */
  'rt-message-remove': CustomEvent<MessageRemoveDetail>
  /** A message of the room changed on the server, by anyone. */
  'rt-message-change': CustomEvent<MessageChangeDetail>
}

declare global {
  interface GlobalEventHandlersEventMap extends RtChatEventMap {}
}
