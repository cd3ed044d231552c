import { BehaviorSubject, Observable, Subject, Subscription, catchError, type Subscriber } from 'rxjs'
import { typedActions, type Action } from './action.ts'
import { selections, select, type Selector } from './selector.ts'

/** A pure function from state and action to the next state. */
export type Reducer<S> = (state: S, action: Action) => S

/**
 * The state as an effect sees it: every state, the current one first, and
 * `value`, the state now (as redux-observable's `StateObservable`), for an
 * effect that only needs to read it when something else happens.
 */
export interface StateObservable<S> extends Observable<S> {
  readonly value: S
}

/**
 * Where I/O lives: reads actions and state, returns the actions its work
 * produces. An effect should catch its own errors per inner stream; the store
 * also guards it so one failure never stops the others.
 */
export type Effect<S> = (actions$: Observable<Action>, state$: StateObservable<S>) => Observable<Action>

/**
 * `reducer`, then `slice` on the `key` part of its result: how a slice whose
 * reducer arrives later joins the root reducer (see {@link Store.addReducer}).
 * The state keeps its identity when the slice did not change.
 *
 * @example
 * const reducer = withSlice(kitReducer, 'collections', collectionsReducer)
 */
export function withSlice<S, K extends keyof S>(reducer: Reducer<S>, key: K, slice: Reducer<S[K]>): Reducer<S> {
  return (state, action) => {
    const next = reducer(state, action)
    const part = slice(next[key], action)
    return part === next[key] ? next : { ...next, [key]: part }
  }
}

/** One `select` on the store's state: its last value, and who hears of a new one. */
interface Selection<S> {
  readonly selector: Selector<S, unknown>
  readonly compare: (a: unknown, b: unknown) => boolean
  last: unknown
  readonly subscriber: Subscriber<unknown>
}

/**
 * The ngrx pattern in a few lines, on RxJS only. A small pattern rather than
 * a library: @ngrx/store needs Angular, and the framework-agnostic stores
 * (e.g. @ngneat/elf) bring more API than the kit needs and would add weight
 * to every tag's bundle.
 *
 * Dispatch is synchronous: the reducer runs, `state$` emits, then `actions$`
 * emits (so effects see the state the action produced). A dispatch made while
 * another is running is queued, so actions are reduced strictly in order.
 *
 * Every change reaches every listener of a kit, and a page may hold dozens of
 * kits, so listening costs as little as it can: `select` on `state$` runs its
 * selector in one loop of the store's and emits only a changed value, and
 * `ofType` on `actions$` hears only its types, instead of a chain of
 * operators per listener testing every state and every action.
 *
 * @example
 * const store = new Store(rootReducer, initialState)
 * store.addEffect((actions$) => actions$.pipe(ofType(ping), map(() => pong({}))))
 * store.select(selectSessionView).subscribe(render)
 * store.dispatch(ping({}))
 *
 * A module loaded later brings its slice's reducer with {@link addReducer},
 * as ngrx's lazy feature state does; until then the slice keeps its initial value.
 */
export class Store<S> {
  #reducer: Reducer<S>
  readonly #state: BehaviorSubject<S>
  /** Copied on change, so a dispatch goes through the ones there when it began. */
  #selections: readonly Selection<S>[] = []
  readonly #actions = new Subject<Action>()
  /** Listeners of `ofType(…)`, by type; each list copied on change, as above. */
  readonly #typed = new Map<string, readonly Subscriber<Action>[]>()
  readonly #queue: Action[] = []
  readonly #effects = new Subscription()
  #dispatching = false

  /** The current state, replayed to new subscribers, with `value` the state now; `select` on it is cheap. */
  readonly state$: StateObservable<S>
  /** Every dispatched action, after it has been reduced; `ofType` on it is cheap. */
  readonly actions$: Observable<Action>

  constructor(reducer: Reducer<S>, initial: S) {
    this.#reducer = reducer
    this.#state = new BehaviorSubject(initial)
    const state = this.#state
    this.state$ = Object.assign(new Observable<S>((subscriber) => state.subscribe(subscriber)), {
      [selections]: <R>(selector: Selector<S, R>, compare: (a: R, b: R) => boolean) => this.#select(selector, compare),
    }) as unknown as StateObservable<S>
    Object.defineProperty(this.state$, 'value', { get: () => state.getValue() })
    this.actions$ = Object.assign(new Observable<Action>((subscriber) => this.#actions.subscribe(subscriber)), {
      [typedActions]: (types: ReadonlySet<string>) => this.#ofTypes(types),
    })
  }

  /** The state now. */
  get state(): S {
    return this.#state.getValue()
  }

  dispatch(action: Action): void {
    this.#queue.push(action)
    if (this.#dispatching) return
    this.#dispatching = true
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        const before = this.#state.getValue()
        const state = this.#reducer(before, next)
        if (state !== before) {
          this.#state.next(state)
          for (const selection of this.#selections) {
            if (selection.subscriber.closed) continue
            let value: unknown
            try {
              value = selection.selector(state)
            } catch (error) {
              selection.subscriber.error(error)
              continue
            }
            if (selection.compare(selection.last, value)) continue
            selection.last = value
            selection.subscriber.next(value)
          }
        }
        for (const subscriber of this.#typed.get(next.type) ?? []) if (!subscriber.closed) subscriber.next(next)
        this.#actions.next(next)
      }
    } finally {
      this.#dispatching = false
    }
  }

  /**
   * From the next action on, `key`'s slice is also reduced by `slice` (after
   * the store's own reducer): a slice only a lazily loaded module changes.
   */
  addReducer<K extends keyof S>(key: K, slice: Reducer<S[K]>): void {
    this.#reducer = withSlice(this.#reducer, key, slice)
  }

  /** A slice of the state; emits only when the selected value changes. */
  select<R>(selector: Selector<S, R>): Observable<R> {
    return this.state$.pipe(select(selector))
  }

  /** Runs `effect` until {@link dispose}; every action it emits is dispatched. */
  addEffect(effect: Effect<S>, name = effect.name || 'effect'): void {
    const run = (): Subscription =>
      effect(this.actions$, this.state$)
        .pipe(
          catchError((error: unknown, caught) => {
            // Last line of defence: an effect that forgot to catch is resubscribed.
            console.error(`rtkit: effect ${name} failed and was restarted`, error)
            return caught
          }),
        )
        .subscribe((action) => this.dispatch(action))
    this.#effects.add(run())
  }

  /** Stops every effect and completes the streams. */
  dispose(): void {
    this.#effects.unsubscribe()
    for (const selection of this.#selections) selection.subscriber.complete()
    for (const subscribers of this.#typed.values()) for (const subscriber of subscribers) subscriber.complete()
    this.#actions.complete()
    this.#state.complete()
  }

  #select<R>(selector: Selector<S, R>, compare: (a: R, b: R) => boolean): Observable<R> {
    return new Observable<R>((subscriber) => {
      let first: R
      try {
        first = selector(this.#state.getValue())
      } catch (error) {
        subscriber.error(error)
        return
      }
      if (this.#state.closed || this.#state.isStopped) return subscriber.complete()
      const selection: Selection<S> = {
        selector,
        compare: compare as (a: unknown, b: unknown) => boolean,
        last: first,
        subscriber: subscriber as Subscriber<unknown>,
      }
      // Listed before the first value goes out: a dispatch that value causes reaches it too.
      this.#selections = [...this.#selections, selection]
      subscriber.next(first)
      return () => {
        this.#selections = this.#selections.filter((each) => each !== selection)
      }
    })
  }

  #ofTypes(types: ReadonlySet<string>): Observable<Action> {
    return new Observable<Action>((subscriber) => {
      if (this.#actions.closed || this.#actions.isStopped) return subscriber.complete()
      for (const type of types) this.#typed.set(type, [...(this.#typed.get(type) ?? []), subscriber])
      return () => {
        for (const type of types) {
          const left = (this.#typed.get(type) ?? []).filter((each) => each !== subscriber)
          if (left.length > 0) this.#typed.set(type, left)
          else this.#typed.delete(type)
        }
      }
    })
  }
}
