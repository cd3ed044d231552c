import { BehaviorSubject, Subject, Subscription, catchError, distinctUntilChanged, map, type Observable } from 'rxjs'
import type { Action } from './action.ts'
import type { Selector } from './selector.ts'

/** A pure function from state and action to the next state. */
export type Reducer<S> = (state: S, action: Action) => S

/**
 * Where I/O lives: reads actions and state, returns the actions its work
 * produces. An effect should catch its own errors per inner stream; the store
 * also guards it so one failure never stops the others.
 */
export type Effect<S> = (actions$: Observable<Action>, state$: Observable<S>) => Observable<Action>

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
  readonly #actions = new Subject<Action>()
  readonly #queue: Action[] = []
  readonly #effects = new Subscription()
  #dispatching = false

  constructor(reducer: Reducer<S>, initial: S) {
    this.#reducer = reducer
    this.#state = new BehaviorSubject(initial)
  }

  /** The current state, replayed to new subscribers. */
  get state$(): Observable<S> {
    return this.#state.asObservable()
  }

  /** Every dispatched action, after it has been reduced. */
  get actions$(): Observable<Action> {
    return this.#actions.asObservable()
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
        const state = this.#reducer(this.#state.getValue(), next)
        if (state !== this.#state.getValue()) this.#state.next(state)
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
    return this.#state.pipe(map(selector), distinctUntilChanged())
  }

  /** Runs `effect` until {@link dispose}; every action it emits is dispatched. */
  addEffect(effect: Effect<S>, name = effect.name || 'effect'): void {
    const run = (): Subscription =>
      effect(this.#actions, this.#state)
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
    this.#actions.complete()
    this.#state.complete()
  }
}
