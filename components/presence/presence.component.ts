import { html, type PropertyValues } from 'lit'
import { property } from 'lit/decorators.js'
import { repeat } from 'lit/directives/repeat.js'
import type { UserProfile } from '../../contracts/index.ts'
import { KitElement } from '../base/kit-element.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import { emit } from '../internal/emit.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { colourIndexOf, initialsOf } from './avatar.ts'
import { presenceStyles } from './presence.styles.ts'

/** Detail of `rt-presence-change`. */
export interface PresenceChangeDetail {
  /** Everyone online now, signed-in user included, sorted as the facade sorts them. */
  users: readonly UserProfile[]
}

/** The events `<rt-presence>` dispatches. */
export interface RtPresenceEventMap {
  /** Someone came online or went offline. */
  'rt-presence-change': CustomEvent<PresenceChangeDetail>
}

declare global {
  interface GlobalEventHandlersEventMap extends RtPresenceEventMap {}
}

/**
 * @summary Shows who is online right now as a row of initials avatars; updates live.
 *
 * Avatars wrap onto more lines when the row does not fit; `max` collapses
 * the rest into a "+N" avatar.
 *
 * @example
 * <rt-presence max="5"></rt-presence>
 *
 * @event {CustomEvent<PresenceChangeDetail>} rt-presence-change - The set of online users changed (also once when first known).
 *
 * @csspart base - The wrapper around the list and the count.
 * @csspart list - The list of avatars.
 * @csspart avatar - One user's initials circle (its `title` is the full name); also `avatar-0` … `avatar-7`, its colour.
 * @csspart more - The "+N" circle when more than `max` users are online.
 * @csspart count - The "N online" text.
 * @csspart notice - The "not configured" hint.
 *
 * @cssproperty --rt-avatar-size - Diameter of an avatar (default 2rem).
 * @cssproperty --rt-presence-overlap - How far avatars overlap (default 0.375rem).
 * @cssproperty --rt-color-scheme - `light` (default), `dark`, or `auto` / `light dark` to follow the OS.
 * @cssproperty --rt-color-text - Text colour.
 * @cssproperty --rt-color-muted - Colour of the count.
 * @cssproperty --rt-color-surface - Background, and the ring around avatars.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtPresence extends KitElement {
  static override styles = [themeStyles, presenceStyles]

  /** Show at most this many avatars, then a "+N" one; 0 shows everyone. */
  @property({ type: Number, reflect: true }) max = 0

  private readonly online = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.presence$,
    initial: undefined as readonly UserProfile[] | undefined,
  })

  private reported: string | undefined = undefined

  /** Everyone online, signed-in user included (the facade adds them), sorted by name. */
  get users(): readonly UserProfile[] {
    return this.online.value ?? []
  }

  protected override renderWith() {
    const users = this.users
    const shown = this.max > 0 ? users.slice(0, this.max) : users
    const hidden = users.length - shown.length
    return html`<div class="base" part="base">
      <ul part="list" aria-label=${this.localize.term('onlineUsers')}>
        ${repeat(
          shown,
          (user) => user.id,
          (user) => {
            const colour = colourIndexOf(user.id)
            return html`<li class="avatar colour-${colour}" part="avatar avatar-${colour}" title=${user.name}>
              <span aria-hidden="true">${initialsOf(user)}</span><span class="visually-hidden">${user.name}</span>
            </li>`
          },
        )}
        ${
          hidden > 0
            ? html`<li class="avatar more" part="more">
                <span aria-hidden="true">+${this.localize.number(hidden)}</span
                ><span class="visually-hidden">${this.localize.term('andMore', hidden)}</span>
              </li>`
            : null
        }
      </ul>
      <span class="count" part="count" role="status">${this.localize.term('onlineCount', users.length)}</span>
    </div>`
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    if (this.online.value === undefined) return
    const users = this.users
    const key = users.map((user) => user.id).join('\n')
    if (key === this.reported) return
    this.reported = key
    emit(this, 'rt-presence-change', { users })
  }
}
