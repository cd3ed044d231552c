/**
 * rtkit components, all in one: importing this module registers every tag
 * (`<rt-provider>`, `<rt-login>`, `<rt-task-board>`, `<rt-chat>`,
 * `<rt-presence>`, `<rt-connection-status>`) and exports their classes, the
 * controllers for building new tags, and `configure()`.
 *
 * @example
 * import { configure } from 'rtkit'
 * configure({ apiUrl: '/api', realtimeUrl: '/deepstream' })
 * document.body.append(document.createElement('rt-task-board'))
 */
export { configure } from './configure.ts'
export { RtProvider } from './provider/provider.ts'
export { RtLogin, LoginMode } from './login/login.ts'
export type { SignedInDetail } from './login/login.ts'
export { RtTaskBoard } from './task-board/task-board.ts'
export type { TaskAddDetail, TaskMoveDetail, TaskRemoveDetail, TaskRenameDetail } from './task-board/task-board.ts'
export { RtChat } from './chat/chat.ts'
export type { MessageEditDetail, MessageRemoveDetail, MessageSendDetail } from './chat/chat.ts'
export { RtPresence } from './presence/presence.ts'
export type { PresenceChangeDetail } from './presence/presence.ts'
export { RtConnectionStatus } from './connection-status/connection-status.ts'
export type { ConnectionChangeDetail } from './connection-status/connection-status.ts'
export { KitController } from './controllers/kit-controller.ts'
export { ObservableController } from './controllers/observable-controller.ts'
export type { ObservableControllerOptions } from './controllers/observable-controller.ts'
export { emit } from './internal/emit.ts'
export type { RtEventName, RtEventDetail } from './internal/emit.ts'
export { themeStyles } from './internal/theme.styles.ts'
