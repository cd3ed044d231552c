import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSelector, type Selector } from './selector.ts'

interface State {
  readonly user: { readonly name: string }
  readonly online: boolean
}

describe('createSelector', () => {
  it('keeps one result per value of its first input, so that kits sharing a selector keep theirs', () => {
    let runs = 0
    const selectGreeting: Selector<State, { text: string }> = createSelector(
      [(state: State) => state.user, (state: State) => state.online],
      (user, online) => {
        runs++
        return { text: `${user.name} is ${online ? 'online' : 'away'}` }
      },
    )
    const alice: State = { user: { name: 'Alice' }, online: true }
    const bob: State = { user: { name: 'Bob' }, online: false }

    const first = selectGreeting(alice)
    const other = selectGreeting(bob)
    // Turns taken in alternation, as two kits' changes are on one page:
    assert.equal(selectGreeting(alice), first)
    assert.equal(selectGreeting({ ...bob }), other, 'a new state with the same parts selects the same result')
    assert.equal(runs, 2)

    const away = selectGreeting({ ...alice, online: false })
    assert.notEqual(away, first)
    assert.equal(away.text, 'Alice is away')
    assert.equal(runs, 3, 'another input that changed runs it again')
  })

  it('keeps one result when its first input is not an object', () => {
    let runs = 0
    const selectLabel: Selector<{ count: number }, number[]> = createSelector(
      [(state: { count: number }) => state.count],
      (count) => (runs++, [count]),
    )
    const one = selectLabel({ count: 1 })
    assert.equal(selectLabel({ count: 1 }), one)
    assert.deepEqual(selectLabel({ count: 2 }), [2])
    assert.equal(runs, 2)
  })
})
