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

/** A selector's last arguments and what they made. */
interface Memo<R> {
  readonly args: readonly unknown[]
  readonly result: R
}

const isObject = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function'

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
  const byFirst = new WeakMap<object, Memo<R>>()
  let unkeyed: Memo<R> | undefined
  // Called on every state change of a kit: compares input by input and builds the
  // arguments only when one changed (no array per call for an unchanged state).
  return (state: S) => {
    const first = inputs[0]!(state)
    const keyed = isObject(first)
    const memo = keyed ? byFirst.get(first) : unkeyed
    if (memo && memo.args[0] === first) {
      let i = 1
      while (i < inputs.length && inputs[i]!(state) === memo.args[i]) i++
      if (i === inputs.length) return memo.result
    }
    const args = [first, ...inputs.slice(1).map((input) => input(state))]
    const made: Memo<R> = { args, result: project(...(args as Results<S, Inputs>)) }
    if (keyed) byFirst.set(first, made)
    else unkeyed = made
    return made.result
  }
}
