import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { groupByStatus, keepUnchanged, neighbourOf, type BoardTask } from './board-columns.ts'

const task = (id: string, status: string) => ({ id, status }) as unknown as BoardTask

describe('groupByStatus / neighbourOf', () => {
  it('splits tasks into the three columns in their order, leaving out unknown statuses', () => {
    const columns = groupByStatus([task('a', 'todo'), task('b', 'done'), task('c', 'todo'), task('d', 'archived')])
    assert.deepEqual(Object.fromEntries(Object.entries(columns).map(([status, tasks]) => [status, tasks.map((t) => t.id)])), {
      todo: ['a', 'c'],
      doing: [],
      done: ['b'],
    })
  })

  it('finds the column left and right, none past the ends', () => {
    assert.equal(neighbourOf('todo', 1), 'doing')
    assert.equal(neighbourOf('doing', -1), 'todo')
    assert.equal(neighbourOf('todo', -1), undefined)
    assert.equal(neighbourOf('done', 1), undefined)
  })

  it('keeps the arrays of the columns a change did not touch, and the whole when none changed', () => {
    const [a, b, c] = [task('a', 'todo'), task('b', 'doing'), task('c', 'done')]
    const before = groupByStatus([a, b, c])
    const renamed = { ...b, title: 'renamed' } as BoardTask
    const after = keepUnchanged(before, groupByStatus([a, renamed, c]))
    assert.equal(after.todo, before.todo)
    assert.equal(after.done, before.done)
    assert.notEqual(after.doing, before.doing)
    assert.deepEqual(after.doing, [renamed])
    assert.equal(keepUnchanged(after, groupByStatus([a, renamed, c])), after)
  })
})
