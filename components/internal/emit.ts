/** Names of every rtkit event declared in `HTMLElementEventMap`. */
export type RtEventName = Extract<keyof HTMLElementEventMap, `rt-${string}`>

/** The `detail` type of an rtkit event. */
export type RtEventDetail<K extends RtEventName> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never

/**
 * Dispatches an rtkit event: a `CustomEvent` that bubbles and crosses shadow
 * roots, so a page can listen on `document`. The one way components emit,
 * so every event is typed by its entry in `HTMLElementEventMap`.
 *
 * @returns `false` if a listener called `preventDefault()` on a cancelable event
 * @example
 * emit(this, 'rt-task-add', { id, title, status })
 */
export function emit<K extends RtEventName>(
  target: EventTarget,
  name: K,
  detail: RtEventDetail<K>,
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }))
}
