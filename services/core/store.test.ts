import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Subject } from 'rxjs'
import { createAction, ofType, props, type Action } from './action.ts'
import { select } from './selector.ts'
import { Store } from './store.ts'

const counted = createAction('[Test] Counted', props<{ by: number }>())
const named = createAction('[Test] Named', props<{ name: string }>())

interface State {
  readonly name: string
  readonly count: number
}

const rootReducer = (state: State, action: Action): State => (named.is(action) ? { ...state, name: action.name } : state)
const countReducer = (count: number, action: Action): number => (counted.is(action) ? count + action.by : count)

describe('Store.addReducer', () => {
  it('reduces a slice from the action after it is added, and keeps the state when the slice did not change', () => {
    const store = new Store<State>(rootReducer, { name: 'a', count: 0 })
    store.dispatch(counted({ by: 1 }))
    assert.deepEqual(store.state, { name: 'a', count: 0 }, 'no reducer of the slice yet: it keeps its initial value')

    store.addReducer('count', countReducer)
    store.dispatch(counted({ by: 2 }))
    store.dispatch(named({ name: 'b' }))
    assert.deepEqual(store.state, { name: 'b', count: 2 }, 'the root reducer and the added slice both reduce')

    const before = store.state
    store.dispatch(createAction('[Test] Other')({}))
    assert.equal(store.state, before, 'an action nothing reduces keeps the state object')
    store.dispose()
  })
})

const reducer = (state: State, action: Action): State =>
  named.is(action) ? { ...state, name: action.name } : counted.is(action) ? { ...state, count: state.count + action.by } : state

describe('ofType on the store', () => {
  it('hears only its types, in dispatch order, and nothing once unsubscribed', () => {
    const store = new Store<State>(reducer, { name: 'a', count: 0 })
    const heard: string[] = []
    const subscription = store.actions$.pipe(ofType(counted)).subscribe((action) => heard.push(`counted ${action.by}`))
    store.dispatch(named({ name: 'b' }))
    store.dispatch(counted({ by: 1 }))
    store.dispatch(counted({ by: 2 }))
    subscription.unsubscribe()
    store.dispatch(counted({ by: 3 }))
    assert.deepEqual(heard, ['counted 1', 'counted 2'])
    store.dispose()
  })

  it('sees the state the action produced, and a listener that joins during a dispatch hears the next action only', () => {
    const store = new Store<State>(reducer, { name: 'a', count: 0 })
    const heard: string[] = []
    store.actions$.pipe(ofType(counted)).subscribe((action) => {
      heard.push(`first ${action.by} at ${store.state.count}`)
      if (action.by === 1) store.actions$.pipe(ofType(counted)).subscribe((late) => heard.push(`late ${late.by}`))
    })
    store.dispatch(counted({ by: 1 }))
    store.dispatch(counted({ by: 2 }))
    assert.deepEqual(heard, ['first 1 at 1', 'first 2 at 3', 'late 2'])
    store.dispose()
  })

  it('completes its listeners when the store is disposed, and filters a plain stream of actions alike', () => {
    const store = new Store<State>(reducer, { name: 'a', count: 0 })
    let completed = false
    store.actions$.pipe(ofType(named)).subscribe({ complete: () => (completed = true) })
    store.dispose()
    assert.ok(completed)
    const plain: string[] = []
    const source = new Subject<Action>()
    source.pipe(ofType(named)).subscribe((action) => plain.push(action.name))
    source.next(counted({ by: 1 }))
    source.next(named({ name: 'x' }))
    assert.deepEqual(plain, ['x'])
  })
})

describe('select on the store', () => {
  it('emits the current value first, then only changed values', () => {
    const store = new Store<State>(reducer, { name: 'a', count: 0 })
    const names: string[] = []
    store.state$.pipe(select((state) => state.name)).subscribe((name) => names.push(name))
    store.dispatch(counted({ by: 1 }))
    store.dispatch(named({ name: 'b' }))
    store.dispatch(named({ name: 'b' }))
    store.dispatch(named({ name: 'c' }))
    assert.deepEqual(names, ['a', 'b', 'c'])
    assert.equal(store.state$.value.name, 'c', 'value is the state now')
    store.dispose()
  })

  it('compares with the given function, and hears a change its own first value caused', () => {
    const store = new Store<State>(reducer, { name: 'a', count: 0 })
    const counts: number[] = []
    store.state$
      .pipe(
        select(
          (state) => state.count,
          (a, b) => Math.floor(a / 10) === Math.floor(b / 10),
        ),
      )
      .subscribe((count) => {
        counts.push(count)
        if (count === 0) store.dispatch(counted({ by: 12 }))
      })
    store.dispatch(counted({ by: 3 }))
    store.dispatch(counted({ by: 10 }))
    assert.deepEqual(counts, [0, 12, 25])
    store.dispose()
  })

  it('errors only the selection whose selector threw, and maps a plain stream of states alike', () => {
    const store = new Store<State>(reducer, { name: 'a', count: 0 })
    let failed: unknown
    const names: string[] = []
    store.state$
      .pipe(
        select((state) => {
          if (state.count > 0) throw new Error('no counts here')
          return state.count
        }),
      )
      .subscribe({ error: (error: unknown) => (failed = error) })
    store.state$.pipe(select((state) => state.name)).subscribe((name) => names.push(name))
    store.dispatch(counted({ by: 1 }))
    store.dispatch(named({ name: 'b' }))
    assert.match(String(failed), /no counts here/)
    assert.deepEqual(names, ['a', 'b'])
    store.dispose()

    const source = new Subject<State>()
    const seen: number[] = []
    source.pipe(select((state) => state.count)).subscribe((count) => seen.push(count))
    for (const count of [1, 1, 2]) source.next({ name: 'a', count })
    assert.deepEqual(seen, [1, 2])
  })
})
