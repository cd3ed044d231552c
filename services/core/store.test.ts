import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createAction, props, type Action } from './action.ts'
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
