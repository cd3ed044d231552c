import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Doc } from '../../contracts/index.ts'
import { Store } from '../core/store.ts'
import type { PartitionRef } from '../gateways/http-gateway.ts'
import { fetchCompleted, fetchStarted, pageLoaded } from '../state/collections.ts'
import { initialKitState } from '../state/root.ts'
import { signedInReducer } from '../testing/signed-in-reducer.ts'
import type { LiveDoc } from './live-doc.ts'
import { partitionViews } from './partition-views.ts'

interface Card {
  title: string
  rank: number
}

const ref: PartitionRef = { collection: 'cards', key: 'board', value: 'b1' }
const at = '2026-01-01T00:00:00.000Z'
const card = (id: string, title: string, rank: number): Doc =>
  ({ id, board: 'b1', title, rank, version: 1, createdAt: at, updatedAt: at, createdBy: 'u1' }) as Doc
const byTitle = (a: LiveDoc<Card>, b: LiveDoc<Card>) => a.title.localeCompare(b.title)
const byRank = (a: LiveDoc<Card>, b: LiveDoc<Card>) => a.rank - b.rank

describe('partitionViews', () => {
  it('keeps one list per order: two views of one board in different orders each get their own', () => {
    const store = new Store(signedInReducer, initialKitState)
    const views = partitionViews(store)
    const titles: string[][] = []
    const ranks: string[][] = []
    const first = views
      .query(ref, byTitle)
      .watch()
      .subscribe((docs) => titles.push(docs.map((doc) => doc.id)))
    const second = views
      .query(ref, byRank)
      .watch()
      .subscribe((docs) => ranks.push(docs.map((doc) => doc.id)))
    store.dispatch(fetchStarted({ ref }))
    store.dispatch(pageLoaded({ ref, items: [card('a', 'cherry', 1), card('b', 'apple', 3), card('c', 'banana', 2)] }))
    store.dispatch(fetchCompleted({ ref }))
    assert.deepEqual(titles.at(-1), ['b', 'c', 'a'], 'by title')
    assert.deepEqual(ranks.at(-1), ['a', 'c', 'b'], 'by rank')
    first.unsubscribe()
    second.unsubscribe()
  })

  it('shares one sorted list among the views of one board in one order', () => {
    const store = new Store(signedInReducer, initialKitState)
    const views = partitionViews(store)
    const seen: Array<readonly LiveDoc<Card>[]> = []
    const subscriptions = [0, 1].map(() =>
      views
        .query(ref, byRank)
        .watch()
        .subscribe((docs) => seen.push(docs)),
    )
    store.dispatch(fetchStarted({ ref }))
    store.dispatch(pageLoaded({ ref, items: [card('a', 'x', 2), card('b', 'y', 1)] }))
    store.dispatch(fetchCompleted({ ref }))
    assert.equal(seen.at(-1), seen.at(-2), 'the same array reaches both')
    for (const subscription of subscriptions) subscription.unsubscribe()
  })
})
