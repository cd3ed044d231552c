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
 * A selector made once at module level serves every kit of the page (a
 * micro-frontend each, or many in one process). With a single memo each
 * kit's turn would undo the other's: every change anywhere would give every
 * kit a new result, and every listener of it would run again. So the memo is
 * kept per value of the first input when that is an object (a part of one
 * kit's state, such as its session or its queue), and is one memo otherwise:
 * put an input that is an object first.
 *
 * @example
 * const selectOpenErrors = createSelector([selectErrors], (errors) => errors.filter((e) => !e.dismissed))
 */
export function createSelector<S, const Inputs extends readonly Selector<S, unknown>[], R>(
  inputs: Inputs,
  project: (...values: Results<S, Inputs>) => R,
): Selector<S, R> {
  const memos = new WeakMap<object, { args: unknown[]; result: R }>()
  /** The key of the one memo used while the first input is not an object. */
  const unkeyed = {}
  // Called on every state change of a kit: compares input by input and builds the
  // arguments only when one changed.
  return (state: S) => {
    const first = inputs[0]!(state)
    const key = Object(first) === first ? (first as object) : unkeyed
    const memo = memos.get(key)
    if (memo && inputs.every((input, i) => input(state) === memo.args[i])) return memo.result
    const args = inputs.map((input) => input(state))
    const result = project(...(args as Results<S, Inputs>))
    memos.set(key, { args, result })
    return result
  }
}
