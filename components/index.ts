/**
 * rtkit components, all in one: importing this module registers every tag
 * and exports their classes and types, the parts for building tags of your
 * own (also side-effect free as `rtkit/element`), `configure()`, and
 * `defineTags()` (also side-effect free as `rtkit/define`) for the same tags
 * under another prefix.
 *
 * Every folder `components/<name>/` with a `<name>.ts` is the tag
 * `<rt-<name>>`, and has exactly one line here (`index.node.test.ts` checks
 * it); the build derives its per-tag entries from the same folders.
 *
 * @example
 * import { configure } from 'rtkit'
 * configure({ apiUrl: '/api', realtimeUrl: '/deepstream' })
 * document.body.append(document.createElement('rt-task-board'))
 */
export * from './chat/chat.ts'
export * from './connection-status/connection-status.ts'
export * from './login/login.ts'
export * from './presence/presence.ts'
export * from './provider/provider.ts'
export * from './task-board/task-board.ts'

export { configure } from './configure.ts'
export { defineTags, tagClasses } from './define.ts'
export type { DefineTagsOptions, TagName } from './define.ts'
export { version } from './internal/versions.ts'
// The parts of a tag of your own, also side-effect free as `rtkit/element`.
export * from './element.ts'
export { LocalizeController, registerTranslation, builtInLanguages } from './i18n/localize.ts'
export type { PartialTranslation, RtTranslation } from './i18n/translation.ts'
export { plural } from './i18n/plural.ts'
export type { PluralForms } from './i18n/plural.ts'
