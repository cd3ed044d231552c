/**
 * `rtkit/define`: registers the tags under a name prefix of your choosing,
 * and nothing when imported. A micro-frontend that must run its own version
 * of rtkit on a page where another team's copy already owns `<rt-*>` uses it
 * to get tags of its own.
 *
 * @example
 * import { defineTags } from 'rtkit/define'
 * defineTags({ prefix: 'acme' }) // <acme-provider>, <acme-login>, <acme-task-board>, …
 */
import { RtChat } from './chat/chat.component.ts'
import { RtConnectionStatus } from './connection-status/connection-status.component.ts'
import { RtLogin } from './login/login.component.ts'
import { RtPresence } from './presence/presence.component.ts'
import { RtProvider } from './provider/provider.component.ts'
import { RtTaskBoard } from './task-board/task-board.component.ts'
import { registerVersion } from './internal/versions.ts'

/**
 * Every tag's class by its name without the prefix: one entry per tag
 * folder (`index.node.test.ts` checks it). No tag renders another custom
 * element inside it, so these are all there is to register.
 */
export const tagClasses = {
  chat: RtChat,
  'connection-status': RtConnectionStatus,
  login: RtLogin,
  presence: RtPresence,
  provider: RtProvider,
  'task-board': RtTaskBoard,
} as const

/** A tag's name without its prefix: `task-board`, `login`, … */
export type TagName = keyof typeof tagClasses

/** Options of {@link defineTags}. */
export interface DefineTagsOptions {
  /** The tags' prefix (default `rt`): `acme` makes `<acme-task-board>`. Lowercase letters, digits and hyphens, starting with a letter. */
  prefix?: string
  /**
   * Where to register them (default the page's `customElements`): a scoped
   * `CustomElementRegistry`, where the browser has them, keeps them to the
   * shadow roots that use it.
   */
  registry?: Pick<CustomElementRegistry, 'get' | 'define'>
}

const PREFIX = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/**
 * Registers every tag as `<prefix-name>`, skipping names already taken. A
 * tag under another prefix (or in another registry) is a subclass of the
 * tag's class, since a class is registered once per registry; it finds the
 * facade like any tag (its own provider, `<prefix-provider>`, or
 * `configure()`), and the `rt-*` events keep their names.
 *
 * @returns the element names by tag, e.g. `{ 'task-board': 'acme-task-board', … }`
 * @example
 * import { defineTags } from 'rtkit/define'
 * defineTags({ prefix: 'acme' })
 * document.body.innerHTML = `<acme-provider api-url="/api" realtime-url="/deepstream"><acme-task-board board="launch"></acme-task-board></acme-provider>`
 */
export function defineTags({ prefix = 'rt', registry = customElements }: DefineTagsOptions = {}): Record<TagName, string> {
  if (!PREFIX.test(prefix)) throw new TypeError(`defineTags: the prefix "${prefix}" is not a valid start of a custom element name`)
  const own = prefix === 'rt' && registry === customElements
  // Only the rt-* names compete with other copies of rtkit.
  if (own) registerVersion()
  const names = {} as Record<TagName, string>
  for (const [tag, element] of Object.entries(tagClasses) as Array<[TagName, CustomElementConstructor]>) {
    const name = `${prefix}-${tag}`
    names[tag] = name
    if (!registry.get(name)) registry.define(name, own ? element : class extends element {})
  }
  return names
}
