import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit'
import { TASK_STATUSES, type TaskStatus } from '../../contracts/index.ts'
import type { LocalizeController } from '../i18n/localize.ts'
import { COLUMN_LABELS, type BoardTask } from './board-columns.ts'

/** What choosing in the menu does; the board issues the command and places focus. */
export interface MoveMenuOptions {
  /** Moves the task to the end of column `status`. */
  move: (task: BoardTask, status: TaskStatus) => void
  /** Puts focus back on the card's "Move to…" button (Escape, or after a move). */
  returnFocus: (task: BoardTask) => void
  /** The board's strings in the page's language. */
  localize: LocalizeController
}

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment }

/**
 * The "Move to…" menu of a card: a popover (`popover="auto"`, so Escape and a
 * tap outside close it) listing the other columns, for touch screens, where
 * HTML5 drag and drop does not exist, and for screen readers. One menu per
 * board, shown for one task at a time, placed under its button with CSS
 * anchor positioning (a sheet at the bottom of the screen where that is
 * missing). Arrow keys move between the choices.
 */
export class MoveMenu implements ReactiveController {
  private readonly host: Host
  private readonly options: MoveMenuOptions
  private task: BoardTask | undefined = undefined

  constructor(host: Host, options: MoveMenuOptions) {
    this.host = host
    this.options = options
    host.addController(this)
  }

  hostConnected(): void {}

  /** The id of the task whose menu is open, if any. */
  get openFor(): string | undefined {
    return this.task?.id
  }

  /** Whether the menu is open for this task (its button then anchors the menu and says `aria-expanded`). */
  isOpenFor(id: string): boolean {
    return this.task?.id === id
  }

  /** Opens the menu for `task` and focuses its first choice. */
  async open(task: BoardTask): Promise<void> {
    this.task = task
    this.host.requestUpdate()
    await this.host.updateComplete
    const menu = this.menu()
    if (!menu) return
    if (!menu.matches(':popover-open')) menu.showPopover()
    menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
  }

  render(): TemplateResult {
    const task = this.task
    const targets = task ? TASK_STATUSES.filter((status) => status !== task.status) : []
    const t = this.options.localize
    return html`<div
      id="move-menu"
      class="move-menu"
      part="move-menu"
      popover="auto"
      role="menu"
      aria-label=${task ? t.term('moveTaskTo', task.title) : t.term('moveTo')}
      @toggle=${this.onToggle}
      @keydown=${this.onKeydown}
      @focusout=${this.onFocusOut}
    >
      ${targets.map(
        (status) =>
          html`<button type="button" role="menuitem" part="move-option" tabindex="-1" @click=${() => this.choose(status)}>
            ${t.term(COLUMN_LABELS[status])}
          </button>`,
      )}
    </div>`
  }

  private menu(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('#move-menu')
  }

  private choose(status: TaskStatus): void {
    const task = this.task
    this.close()
    if (!task) return
    this.options.move(task, status)
    this.options.returnFocus({ ...task, status })
  }

  private close(): void {
    const menu = this.menu()
    this.task = undefined
    if (menu?.matches(':popover-open')) menu.hidePopover()
    this.host.requestUpdate()
  }

  private readonly onToggle = (event: ToggleEvent): void => {
    if (event.newState !== 'closed' || !this.task) return
    // Closed by Escape or a tap outside. Focus goes back to the card unless the tap put it somewhere else.
    const task = this.task
    this.task = undefined
    this.host.requestUpdate()
    const active = this.host.renderRoot instanceof ShadowRoot ? this.host.renderRoot.activeElement : null
    if (active === null && (document.activeElement === document.body || document.activeElement === this.host)) {
      this.options.returnFocus(task)
    } else if (active && this.menu()?.contains(active)) this.options.returnFocus(task)
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const items = [...(this.menu()?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const at = items.indexOf(event.target as HTMLElement)
    const next =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? (at + 1) % items.length
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? (at - 1 + items.length) % items.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? items.length - 1
              : undefined
    if (next === undefined || items.length === 0) return
    event.preventDefault()
    items[next]!.focus()
  }

  /** Tab (or a click elsewhere) leaves the menu: it closes. */
  private readonly onFocusOut = (event: FocusEvent): void => {
    const to = event.relatedTarget
    if (to instanceof Node && this.menu()?.contains(to)) return
    if (to !== null) this.close()
  }
}
