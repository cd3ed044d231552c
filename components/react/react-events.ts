import type { EventName } from '@lit/react'

/** `task-add` → `TaskAdd`. */
type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<S>

/** The React prop of an rtkit event: `rt-task-add` → `onTaskAdd`, `rt-command-confirm` → `onCommandConfirm`. */
export type ReactEventProp<N extends string> = N extends `rt-${infer Rest}` ? `on${PascalCase<Rest>}` : never

/** `@lit/react`'s `events` option for a tag's event map `M`: one typed `on…` prop per `rt-*` event. */
export type ReactEvents<M> = {
  [N in keyof M & `rt-${string}` as ReactEventProp<N>]: EventName<M[N] extends Event ? M[N] : never>
}

/**
 * The React prop name of an rtkit event, as {@link ReactEventProp} types it.
 *
 * @example
 * reactEventProp('rt-command-confirm') // 'onCommandConfirm'
 */
export function reactEventProp<N extends `rt-${string}`>(name: N): ReactEventProp<N> {
  const words = name.slice('rt-'.length).split('-')
  return `on${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}` as ReactEventProp<N>
}

/** Names of `M`'s events left out of a list; a list that leaves one out fails the type check naming it. */
type Exhaustive<M, L extends readonly string[]> = [Exclude<keyof M & `rt-${string}`, L[number]>] extends [never]
  ? L
  : { missing: Exclude<keyof M & `rt-${string}`, L[number]> }

/**
 * `@lit/react`'s `events` option for a tag whose events are `M`: the names
 * must list every event of the map (the type check fails naming a missing
 * one), and the props are `on` + PascalCase without `rt-`.
 *
 * @example
 * createComponent({ …, events: reactEvents<RtChatEventMap>()(['rt-message-send', …]) })
 */
export function reactEvents<M>() {
  return <const L extends readonly (keyof M & `rt-${string}`)[]>(names: L & Exhaustive<M, L>): ReactEvents<M> =>
    // fromEntries cannot carry each name's prop to the type; the names were checked above.
    Object.fromEntries(names.map((name) => [reactEventProp(name), name])) as unknown as ReactEvents<M>
}
