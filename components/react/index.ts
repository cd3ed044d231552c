/**
 * `rtkit/react`: a React component per tag, made with `@lit/react`, for
 * React 18 (which sets only attributes on custom elements and drops their
 * events). Properties are props; events are `on` + PascalCase without the
 * `rt-` prefix (`rt-task-add` → `onTaskAdd`), typed by the tags' event maps.
 * Importing this module registers the tags. React 19 needs none of it: the
 * tags work natively, and `import type {} from 'rtkit/jsx'` types them.
 *
 * @example
 * import { RtProvider, RtTaskBoard } from 'rtkit/react'
 * <RtProvider apiUrl="/api" realtimeUrl="/deepstream">
 *   <RtTaskBoard board="launch" onTaskAdd={(event) => console.log(event.detail.title)} />
 * </RtProvider>
 */
import * as React from 'react'
import { createComponent } from '@lit/react'
import { RtChat as RtChatElement, type RtChatEventMap } from '../chat/chat.ts'
import { RtConnectionStatus as RtConnectionStatusElement, type RtConnectionStatusEventMap } from '../connection-status/connection-status.ts'
import { RtLogin as RtLoginElement, type RtLoginEventMap } from '../login/login.ts'
import { RtPresence as RtPresenceElement, type RtPresenceEventMap } from '../presence/presence.ts'
import { RtProvider as RtProviderElement } from '../provider/provider.ts'
import { RtTaskBoard as RtTaskBoardElement, type RtTaskBoardEventMap } from '../task-board/task-board.ts'
import { reactEvents } from './react-events.ts'

export { reactEventProp } from './react-events.ts'
export type { ReactEventProp, ReactEvents } from './react-events.ts'

/** `<rt-provider>`: one facade (one session, one WebSocket) for the tags inside. Props `apiUrl`, `realtimeUrl`, `storageKey`, `authEndpoint`, `kit`. */
export const RtProvider = createComponent({
  react: React,
  tagName: 'rt-provider',
  elementClass: RtProviderElement,
  displayName: 'RtProvider',
})

/** `<rt-login>`: `mode`; `onLogin`, `onRegister`, `onLogout`. */
export const RtLogin = createComponent({
  react: React,
  tagName: 'rt-login',
  elementClass: RtLoginElement,
  displayName: 'RtLogin',
  events: reactEvents<RtLoginEventMap>()(['rt-login', 'rt-register', 'rt-logout']),
})

/** `<rt-task-board>`: `board`, `virtualizeThreshold`; `onTaskAdd`, `onTaskMove`, `onTaskRename`, `onTaskRemove`, `onTaskChange`, `onCommandConfirm`, `onCommandReject`. */
export const RtTaskBoard = createComponent({
  react: React,
  tagName: 'rt-task-board',
  elementClass: RtTaskBoardElement,
  displayName: 'RtTaskBoard',
  events: reactEvents<RtTaskBoardEventMap>()([
    'rt-task-add',
    'rt-task-move',
    'rt-task-rename',
    'rt-task-remove',
    'rt-task-change',
    'rt-command-confirm',
    'rt-command-reject',
  ]),
})

/** `<rt-chat>`: `room`; `onMessageSend`, `onMessageEdit`, `onMessageRemove`, `onMessageChange`, `onCommandConfirm`, `onCommandReject`. */
export const RtChat = createComponent({
  react: React,
  tagName: 'rt-chat',
  elementClass: RtChatElement,
  displayName: 'RtChat',
  events: reactEvents<RtChatEventMap>()([
    'rt-message-send',
    'rt-message-edit',
    'rt-message-remove',
    'rt-message-change',
    'rt-command-confirm',
    'rt-command-reject',
  ]),
})

/** `<rt-presence>`: `max`; `onPresenceChange`. */
export const RtPresence = createComponent({
  react: React,
  tagName: 'rt-presence',
  elementClass: RtPresenceElement,
  displayName: 'RtPresence',
  events: reactEvents<RtPresenceEventMap>()(['rt-presence-change']),
})

/** `<rt-connection-status>`: `onConnectionChange`. */
export const RtConnectionStatus = createComponent({
  react: React,
  tagName: 'rt-connection-status',
  elementClass: RtConnectionStatusElement,
  displayName: 'RtConnectionStatus',
  events: reactEvents<RtConnectionStatusEventMap>()(['rt-connection-change']),
})
