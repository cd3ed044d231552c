import { filter, type Observable, type OperatorFunction } from 'rxjs'

/** Anything the store can dispatch: a plain, serialisable object with a `type`. */
export interface Action {
  readonly type: string
}

/** Marker for the payload type of an action; see {@link createAction}. */
export interface Props<P extends object> {
  readonly _props?: P
}

/** Declares the payload of an action: `createAction('[Tasks] Loaded', props<{ items: Task[] }>())`. */
export function props<P extends object>(): Props<P> {
  return {}
}

/** Builds actions of one type and recognises them. */
export interface ActionCreator<T extends string, P extends object> {
  (payload: P): P & { readonly type: T }
  readonly type: T
  is(action: Action): action is P & { readonly type: T }
}

/** The action type an {@link ActionCreator} builds. */
export type ActionOf<C> = C extends ActionCreator<infer T, infer P> ? P & { readonly type: T } : never

/**
 * Defines an action type, read as "[Source] Event", and its factory.
 *
 * @example
 * const opened = createAction('[Live Query] Opened', props<{ key: string }>())
 * store.dispatch(opened({ key: 'tasks?board=launch' }))
 * if (opened.is(action)) console.log(action.key)
 */
export function createAction<T extends string, P extends object = Record<never, never>>(type: T, _props?: Props<P>): ActionCreator<T, P> {
  const creator = (payload: P) => ({ ...payload, type })
  return Object.assign(creator, {
    type,
    is: (action: Action): action is P & { readonly type: T } => action.type === type,
  }) as ActionCreator<T, P>
}

/**
 * Where a stream of actions can give the actions of some types by itself, as
 * the store's `actions$` does (it keeps its listeners by type, so a dispatch
 * calls only those of its type). {@link ofType} uses it when it is there.
 */
export const typedActions = Symbol('rtkit.typedActions')

interface TypedActions {
  [typedActions](types: ReadonlySet<string>): Observable<Action>
}

/**
 * Keeps only the actions built by the given creators.
 *
 * @example
 * actions$.pipe(ofType(loginRequested)).subscribe((action) => action.username)
 */
// `any` because a creator taking specific props is not assignable to one taking `object` (parameter variance).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ofType<C extends ActionCreator<string, any>[]>(...creators: C): OperatorFunction<Action, ActionOf<C[number]>> {
  const types = new Set<string>(creators.map((creator) => creator.type))
  return (source) =>
    typedActions in source
      ? ((source as Observable<Action> & TypedActions)[typedActions](types) as Observable<ActionOf<C[number]>>)
      : source.pipe(filter((action: Action): action is ActionOf<C[number]> => types.has(action.type)))
}
