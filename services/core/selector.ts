import { distinctUntilChanged, map, type Observable, type OperatorFunction } from 'rxjs'

/** A function of the whole state. */
export type Selector<S, R> = (state: S) => R

/**
 * Where a stream of states can run selectors by itself, as the store's
 * `state$` does (one loop over every selector per change, rather than a chain
 * of operators each). {@link select} uses it when it is there.
 */
export const selections = Symbol('rtkit.selections')

interface Selections<S> {
  [selections]<R>(selector: Selector<S, R>, compare: (a: R, b: R) => boolean): Observable<R>
}

const same = (a: unknown, b: unknown) => a === b

/**
 * `map(selector)` then `distinctUntilChanged(compare)`, as ngrx's `select`:
 * a part of the state, emitted when it changes (by `===` unless `compare`
 * says otherwise).
 *
 * @example
 * state$.pipe(select((state) => state.session.expiresAt)).subscribe(scheduleExpiry)
 */
export function select<S, R>(selector: Selector<S, R>, compare: (a: R, b: R) => boolean = same): OperatorFunction<S, R> {
  return (source) =>
    selections in source
      ? (source as Observable<S> & Selections<S>)[selections](selector, compare)
      : source.pipe(map(selector), distinctUntilChanged(compare))
}

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
