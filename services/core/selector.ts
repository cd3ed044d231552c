/** A function of the whole state. */
export type Selector<S, R> = (state: S) => R

type Results<S, Inputs extends readonly Selector<S, unknown>[]> = {
  [K in keyof Inputs]: Inputs[K] extends Selector<S, infer R> ? R : never
}

/**
 * A memoised selector: `project` runs again only when one of the input
 * selectors returns a different value (by `===`), so derived arrays keep
 * their identity and `distinctUntilChanged` downstream stays cheap.
 *
 * @example
 * const selectOpenErrors = createSelector([selectErrors], (errors) => errors.filter((e) => !e.dismissed))
 */
export function createSelector<S, const Inputs extends readonly Selector<S, unknown>[], R>(
  inputs: Inputs,
  project: (...values: Results<S, Inputs>) => R,
): Selector<S, R> {
  let last: { args: unknown[]; result: R } | undefined
  // Called on every state change of a kit: compares input by input and builds the
  // arguments only when one changed (no array per call for an unchanged state).
  return (state: S) => {
    if (last) {
      const previous = last.args
      let i = 0
      while (i < inputs.length && inputs[i]!(state) === previous[i]) i++
      if (i === inputs.length) return last.result
    }
    const args = inputs.map((input) => input(state))
    const result = project(...(args as Results<S, Inputs>))
    last = { args, result }
    return result
  }
}
