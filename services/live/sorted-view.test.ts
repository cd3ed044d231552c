import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Subject } from 'rxjs'
import { sortedBy } from './sorted-view.ts'

interface Item {
  id: string
  rank: number
}

const byRank = (a: Item, b: Item) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** A deterministic pseudo-random sequence (a linear congruential generator), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

function run(lists: readonly (readonly Item[])[]): (readonly Item[])[] {
  const input = new Subject<readonly Item[]>()
  const out: (readonly Item[])[] = []
  input.pipe(sortedBy(byRank)).subscribe((sorted) => out.push(sorted))
  for (const list of lists) input.next(list)
  return out
}

describe('sortedBy', () => {
  it('sorts the first list, then follows changes, inserts and removals', () => {
    const a = { id: 'a', rank: 3 }
    const b = { id: 'b', rank: 1 }
    const c = { id: 'c', rank: 2 }
    const a2 = { id: 'a', rank: 0 }
    const d = { id: 'd', rank: 2 }
    const out = run([
      [a, b, c],
      [a2, b, c],
      [a2, b, d],
      [b, d],
    ])
    assert.deepEqual(
      out.map((list) => list.map((item) => `${item.id}${item.rank}`).join(' ')),
      ['b1 c2 a3', 'a0 b1 c2', 'a0 b1 d2', 'b1 d2'],
    )
    assert.notEqual(out[0], out[1], 'every emission is a new array')
  })

  it('gives what a full sort gives, over many random changes of every size', () => {
    const next = random(42)
    let items: Item[] = Array.from({ length: 300 }, (_, i) => ({ id: `t${String(i).padStart(4, '0')}`, rank: Math.floor(next() * 50) }))
    const lists: Item[][] = [items]
    for (let step = 0; step < 300; step++) {
      items = items.slice()
      // Mostly one change, sometimes many (a refetch): past the incremental limit too.
      const changes = next() < 0.9 ? 1 : Math.floor(next() * 80)
      for (let k = 0; k < changes; k++) {
        const roll = next()
        const index = Math.floor(next() * items.length)
        if (roll < 0.5 && items.length > 0) items[index] = { ...items[index]!, rank: Math.floor(next() * 50) }
        else if (roll < 0.75 && items.length > 0) items.splice(index, 1)
        else items.push({ id: `n${step}-${k}`, rank: Math.floor(next() * 50) })
      }
      items.sort(byId)
      lists.push(items)
    }
    const out = run(lists)
    for (const [i, list] of lists.entries()) assert.deepEqual(out[i], [...list].sort(byRank), `emission ${i}`)
  })
})
