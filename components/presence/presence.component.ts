import { html, LitElement, type PropertyValues } from 'lit'
import { property } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import { styleMap } from 'lit/directives/style-map.js'
import type { UserProfile } from '../../contracts/index.ts'
import type { SessionView } from '../../services/index.ts'
import { KitController } from '../controllers/kit-controller.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import { emit } from '../internal/emit.ts'
import { notConfigured } from '../internal/notices.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { presenceStyles } from './presence.styles.ts'

/** Detail of `rt-presence-change`. */
export interface PresenceChangeDetail {
  /** Everyone online now, sorted as the facade sorts them. */
  users: readonly UserProfile[]
}

declare global {
  interface HTMLElementEventMap {
    /** Someone came online or went offline. */
    'rt-presence-change': CustomEvent<PresenceChangeDetail>
  }
}

/**
 * Avatar backgrounds; each keeps white initials above 4.5:1 contrast.
 * A user always gets the same one (picked by a hash of the id).
 */
const AVATAR_COLOURS = ['#0b5cd5', '#7a3dd8', '#b3261e', '#1a7f37', '#8a5a00', '#005f73', '#9d174d', '#3f3f46']

/**
 * Presence entries as profiles. Older facades emitted bare user ids; those
 * are shown with the id as the name, so the tag works with either.
 */
function toProfile(entry: string | UserProfile): UserProfile {
  return typeof entry === 'string' ? { id: entry, username: entry, name: entry } : entry
}

/** Up to two letters: the first of the first two words of the name (or the username). */
export function initialsOf(user: UserProfile): string {
  const words = (user.name || user.username).trim().split(/\s+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0]!, words[1]!].map((word) => [...word][0]) : [...(words[0] ?? '?')].slice(0, 2)
  return letters.join('').toUpperCase()
}

function colourOf(id: string): string {
  let hash = 0
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return AVATAR_COLOURS[Math.abs(hash) % AVATAR_COLOURS.length]!
}

/**
 * @summary Shows who is online right now as a row of initials avatars; updates live.
 *
 * @example
 * <rt-presence max="5"></rt-presence>
 *
 * @event {CustomEvent<PresenceChangeDetail>} rt-presence-change - The set of online users changed (also once when first known).
 *
 * @csspart base - The wrapper around the list and the count.
 * @csspart list - The list of avatars.
 * @csspart avatar - One user's initials circle (its `title` is the full name).
 * @csspart more - The "+N" circle when more than `max` users are online.
 * @csspart count - The "N online" text.
 * @csspart notice - The "not configured" hint.
 *
 * @cssproperty --rt-avatar-size - Diameter of an avatar (default 2rem).
 * @cssproperty --rt-presence-overlap - How far avatars overlap (default 0.375rem).
 * @cssproperty --rt-color-scheme - `light`, `dark` or `light dark` (default: follow the system).
 * @cssproperty --rt-color-text - Text colour.
 * @cssproperty --rt-color-muted - Colour of the count.
 * @cssproperty --rt-color-surface - Ring around avatars.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtPresence extends LitElement {
  static override styles = [themeStyles, presenceStyles]

  /** Show at most this many avatars, then a "+N" one; 0 shows everyone. */
  @property({ type: Number, reflect: true }) max = 0

  private readonly kit = new KitController(this)

  private readonly online = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.presence$,
    initial: undefined as readonly (string | UserProfile)[] | undefined,
  })

  private readonly session = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.session$,
    initial: undefined as SessionView | undefined,
  })

  private reported: string | undefined = undefined

  /**
   * Everyone online, as profiles, the signed-in user first: deepstream
   * reports only the *other* clients, but "who is here" includes you.
   */
  get users(): readonly UserProfile[] {
    const others = (this.online.value ?? []).map(toProfile)
    const session = this.session.value
    if (session?.status !== 'signedIn') return others
    return [session.user, ...others.filter((user) => user.id !== session.user.id)]
  }

  protected override render() {
    if (!this.kit.value) return notConfigured('rt-presence')
    const users = this.users
    const shown = this.max > 0 ? users.slice(0, this.max) : users
    const hidden = users.length - shown.length
    return html`<div class="base" part="base">
      <ul part="list" aria-label="Online users">
        ${repeat(
          shown,
          (user) => user.id,
          (user) =>
            html`<li class="avatar" part="avatar" title=${user.name} style=${styleMap({ '--_avatar-bg': colourOf(user.id) })}>
              <span aria-hidden="true">${initialsOf(user)}</span><span class="visually-hidden">${user.name}</span>
            </li>`,
        )}
        ${
          hidden > 0
            ? html`<li class="avatar more" part="more">
                <span aria-hidden="true">+${hidden}</span><span class="visually-hidden">and ${hidden} more</span>
              </li>`
            : null
        }
      </ul>
      <span class="count" part="count" role="status">${users.length} online</span>
    </div>`
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    if (this.online.value === undefined || this.session.value === undefined) return
    const users = this.users
    const key = users.map((user) => user.id).join('\n')
    if (key === this.reported) return
    this.reported = key
    emit(this, 'rt-presence-change', { users })
  }
}
