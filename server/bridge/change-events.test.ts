import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { findCollection } from '../collections/registry.ts'
import { MalformedChangeError, publicationsFor } from './change-events.ts'

const tasks = findCollection('tasks')!
const messages = findCollection('messages')!

const meta = { createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', createdBy: 'u1' }
const task = (version: number, board = 'launch') => ({ id: 't1', board, title: 'T', status: 'todo', order: 1, version, ...meta })

describe('publicationsFor', () => {
  it('turns an insert into an upsert on the partition topic', () => {
    assert.deepEqual(publicationsFor(tasks, { old_val: null, new_val: task(1) }), [
      { topic: 'tasks/launch', event: { op: 'upsert', doc: task(1), version: 1 } },
    ])
  })

  it('turns an update into an upsert at the new version', () => {
    assert.deepEqual(publicationsFor(tasks, { old_val: task(1), new_val: task(2) }), [
      { topic: 'tasks/launch', event: { op: 'upsert', doc: task(2), version: 2 } },
    ])
  })

  it('turns a delete into a remove one version past the deleted document', () => {
    assert.deepEqual(publicationsFor(tasks, { old_val: task(3), new_val: null }), [
      { topic: 'tasks/launch', event: { op: 'remove', id: 't1', version: 4 } },
    ])
  })

  it('turns a document replaced by its tombstone (how rtkit deletes) into a remove at the tombstone version', () => {
    const tombstone = { id: 't1', version: 4, deletedAt: meta.updatedAt, deletedBy: 'u1', tombstone: true }
    assert.deepEqual(publicationsFor(tasks, { old_val: task(3), new_val: tombstone as never }), [
      { topic: 'tasks/launch', event: { op: 'remove', id: 't1', version: 4 } },
    ])
    assert.deepEqual(publicationsFor(tasks, { old_val: tombstone as never, new_val: null }), [], 'a purged tombstone publishes nothing')
  })

  it('turns a partition change into a remove on the old topic, then an upsert on the new one', () => {
    assert.deepEqual(publicationsFor(tasks, { old_val: task(2, 'a'), new_val: task(3, 'b') }), [
      { topic: 'tasks/a', event: { op: 'remove', id: 't1', version: 3 } },
      { topic: 'tasks/b', event: { op: 'upsert', doc: task(3, 'b'), version: 3 } },
    ])
  })

  it('uses the partition key of the collection', () => {
    const message = { id: 'm1', room: 'lobby', text: 'hi', author: 'u1', authorName: 'U', version: 1, ...meta }
    assert.equal(publicationsFor(messages, { old_val: null, new_val: message })[0]!.topic, 'messages/lobby')
  })

  it('rejects documents without id, version or partition', () => {
    const { board: _board, ...boardless } = task(1)
    assert.throws(() => publicationsFor(tasks, { new_val: boardless as never }), MalformedChangeError)
    assert.throws(() => publicationsFor(tasks, { new_val: { ...task(1), version: '1' } as never }), MalformedChangeError)
    assert.throws(() => publicationsFor(tasks, { new_val: { ...task(1), id: 7 } as never }), MalformedChangeError)
  })

  it('publishes nothing for an empty change', () => {
    assert.deepEqual(publicationsFor(tasks, {}), [])
  })
})
