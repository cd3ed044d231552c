/** Names of every rtkit event declared in the global event map. */
export type RtEventName = Extract<keyof HTMLElementEventMap, `rt-${string}`>

/**
 * Names of every custom event declared in the global event map: rtkit's
 * (`rt-*`) and those a custom tag declares under its own prefix.
 */
export type CustomEventName = {
  [K in keyof HTMLElementEventMap]: HTMLElementEventMap[K] extends CustomEvent ? K : never
}[keyof HTMLElementEventMap]

/** The `detail` type of a declared custom event. */
export type RtEventDetail<K extends CustomEventName> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never

/**
 * Dispatches a declared event: a `CustomEvent` that bubbles and crosses
 * shadow roots, so a page can listen on `document`. The one way components
 * emit, so every event is typed by its one entry in
 * `GlobalEventHandlersEventMap` (which the element, document and window
 * maps extend).
 *
 * @returns `false` if a listener called `preventDefault()` on a cancelable event
 * @example
 * emit(this, 'rt-task-add', { id, title, status })
 * // a custom tag's own event, declared in GlobalEventHandlersEventMap:
 * emit(this, 'poll-vote', { poll, choice })
 */
export function emit<K extends CustomEventName>(
  target: EventTarget,
  name: K,
  detail: RtEventDetail<K>,
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }))
}
