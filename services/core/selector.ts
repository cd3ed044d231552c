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
  return (state: S) => {
    const args = inputs.map((input) => input(state))
    if (last && args.length === last.args.length && args.every((value, i) => value === last!.args[i])) return last.result
    const result = project(...(args as Results<S, Inputs>))
    last = { args, result }
    return result
  }
}
