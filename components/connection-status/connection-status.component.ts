import { html, type PropertyValues } from 'lit'
import type { ConnectionStatus, PendingCommand } from '../../services/index.ts'
import { KitElement } from '../base/kit-element.ts'
import { ObservableController } from '../controllers/observable-controller.ts'
import { emit } from '../internal/emit.ts'
import type { RtTranslation } from '../i18n/translation.ts'
import { themeStyles } from '../internal/theme.styles.ts'
import { connectionStatusStyles } from './connection-status.styles.ts'

/** Detail of `rt-connection-change`. */
export interface ConnectionChangeDetail {
  /** The realtime connection's state. */
  status: ConnectionStatus
  /** How many commands wait to be confirmed (queued offline or in flight). */
  queued: number
}

/** The events `<rt-connection-status>` dispatches. */
export interface RtConnectionStatusEventMap {
  /** The connection state or the number of queued commands changed. */
  'rt-connection-change': CustomEvent<ConnectionChangeDetail>
}

declare global {
  interface GlobalEventHandlersEventMap extends RtConnectionStatusEventMap {}
}

/** The catalogue key of each state's label. */
const LABELS = {
  connecting: 'connecting',
  open: 'online',
  reconnecting: 'reconnecting',
  offline: 'offline',
  closed: 'notConnected',
} as const satisfies Record<ConnectionStatus, keyof RtTranslation>

/**
 * @summary Shows whether the realtime connection is up and how many changes wait to be sent.
 *
 * @example
 * <rt-connection-status></rt-connection-status>
 *
 * @event {CustomEvent<ConnectionChangeDetail>} rt-connection-change - The state or the queued count changed (also once when first known).
 *
 * @csspart base - The pill around everything; a live `status` region.
 * @csspart indicator - The coloured dot; carries `data-status`.
 * @csspart label - The state in words.
 * @csspart queued - The "N changes waiting" text, shown only when N > 0.
 * @csspart notice - The "not configured" hint.
 *
 * @cssproperty --rt-connection-color-open - Dot colour when online.
 * @cssproperty --rt-connection-color-connecting - Dot colour while (re)connecting.
 * @cssproperty --rt-connection-color-offline - Dot colour when offline.
 * @cssproperty --rt-connection-indicator-size - Diameter of the dot.
 * @cssproperty --rt-color-scheme - `light` (default), `dark`, or `auto` / `light dark` to follow the OS.
 * @cssproperty --rt-color-text - Text colour.
 * @cssproperty --rt-color-muted - Secondary text colour.
 * @cssproperty --rt-color-surface - Background.
 * @cssproperty --rt-color-border - Border colour.
 * @cssproperty --rt-font-family - Font family.
 */
export class RtConnectionStatus extends KitElement {
  static override styles = [themeStyles, connectionStatusStyles]

  private readonly connection = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.connection$,
    initial: undefined as ConnectionStatus | undefined,
  })

  private readonly pending = new ObservableController(this, {
    args: () => [this.kit.value],
    source: (kit) => kit?.pending$,
    initial: [] as readonly PendingCommand[],
  })

  private reported: string | undefined = undefined

  /** The connection state shown, or `undefined` while not configured. */
  get status(): ConnectionStatus | undefined {
    return this.connection.value
  }

  /** The number of commands waiting to be confirmed. */
  get queued(): number {
    return this.pending.value.length
  }

  protected override renderWith() {
    const status = this.connection.value ?? 'connecting'
    const queued = this.queued
    return html`<div class="base" part="base" role="status">
      <span class="indicator" part="indicator" data-status=${status}></span>
      <span part="label">${this.localize.term(LABELS[status])}</span>
      ${queued > 0 ? html`<span class="queued" part="queued">${this.localize.term('changesWaiting', queued)}</span>` : null}
    </div>`
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    const status = this.connection.value
    if (status === undefined) return
    const key = `${status}:${this.queued}`
    if (key === this.reported) return
    this.reported = key
    emit(this, 'rt-connection-change', { status, queued: this.queued })
  }
}
