import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import r from 'rethinkdb'
import { WriteOrder, writtenTables } from './write-order.ts'

// The terms are what the official driver puts on the wire.
// (@types/rethinkdb does not declare build(), the driver's serialiser.)
const wire = (query: unknown) => (query as { build(): unknown }).build()

describe('which tables a query writes', () => {
  it('finds none in a read', () => {
    assert.equal(writtenTables(wire(r.db('rtkit').table('tasks').get('x'))), undefined)
  })
  it('finds the table of a write, with or without its database', () => {
    assert.deepEqual(writtenTables(wire(r.db('rtkit').table('tasks').get('x').update({ a: 1 }))), new Set(['tasks']))
    assert.deepEqual(writtenTables(wire(r.table('a').insert(r.table('b')))), new Set(['a', 'b']))
  })
  it('orders a write to a computed table after every write', () => {
    // @types/rethinkdb takes only a literal name; the driver takes any term.
    const computed = (r.expr(['tasks']) as unknown as { nth(index: number): string }).nth(0)
    assert.equal(writtenTables(wire(r.table(computed).delete())), 'all')
  })
})

describe('the order of writes', () => {
  it('runs a table’s writes one after another, and other tables’ alongside', async () => {
    const order = new WriteOrder()
    const events: string[] = []
    let finishFirst!: () => void
    const first = order.run(new Set(['tasks']), async () => {
      events.push('tasks 1 start')
      await new Promise<void>((resolve) => (finishFirst = resolve))
      events.push('tasks 1 end')
    })
    const second = order.run(new Set(['tasks']), async () => void events.push('tasks 2'))
    const other = order.run(new Set(['messages']), async () => void events.push('messages'))
    await other
    assert.deepEqual(events, ['tasks 1 start', 'messages'])
    const everything = order.run('all', async () => void events.push('all'))
    finishFirst()
    await Promise.all([first, second, everything])
    assert.deepEqual(events, ['tasks 1 start', 'messages', 'tasks 1 end', 'tasks 2', 'all'])
  })

  it('goes on after a write that fails', async () => {
    const order = new WriteOrder()
    await assert.rejects(order.run(new Set(['tasks']), () => Promise.reject(new Error('refused'))))
    assert.equal(await order.run(new Set(['tasks']), async () => 'next'), 'next')
  })
})
