import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KitError } from '../../services/index.ts'
import { errorsFor } from './errors-for.ts'

const at = '2024-01-01T00:00:00.000Z'
const base = { type: 'x', userId: 'alice', issuedAt: at, collection: 'tasks' }
const error = (id: string, extra: Partial<KitError>): KitError => ({ id, code: 'forbidden', message: id, at, ...extra })

describe('errorsFor', () => {
  it('keeps the errors of this partition: inserts into it, writes to shown documents, conflicts whose document is here, a failed read of it', () => {
    const errors = [
      error('insert-here', { command: { ...base, id: 'c1', op: 'insert', docId: 'n1', fields: { board: 'launch' } } }),
      error('insert-elsewhere', { command: { ...base, id: 'c2', op: 'insert', docId: 'n2', fields: { board: 'other' } } }),
      error('update-shown', { command: { ...base, id: 'c3', op: 'update', docId: 't1', patch: {}, expectedVersion: 1 } }),
      error('update-not-shown', { command: { ...base, id: 'c4', op: 'update', docId: 't9', patch: {}, expectedVersion: 1 } }),
      error('conflict-here', {
        code: 'conflict',
        command: { ...base, id: 'c5', op: 'update', docId: 't8', patch: {}, expectedVersion: 1 },
        current: { id: 't8', version: 2, board: 'launch', createdAt: at, updatedAt: at, createdBy: 'bob' },
      }),
      error('other-collection', { command: { ...base, collection: 'messages', id: 'c6', op: 'remove', docId: 't1' } }),
      error('no-command', { code: 'session_expired' }),
      error('read-here', { code: 'not_found', query: { collection: 'tasks', key: 'board', value: 'launch' } }),
      error('read-elsewhere', { code: 'not_found', query: { collection: 'tasks', key: 'board', value: 'other' } }),
      error('read-other-collection', { code: 'not_found', query: { collection: 'messages', key: 'room', value: 'launch' } }),
    ]
    const kept = errorsFor(errors, 'tasks', 'board', 'launch', [{ id: 't1' }])
    assert.deepEqual(
      kept.map((e) => e.id),
      ['insert-here', 'update-shown', 'conflict-here', 'read-here'],
    )
  })

  it('returns the same empty list when there are no errors', () => {
    const none: readonly KitError[] = []
    assert.equal(errorsFor(none, 'tasks', 'board', 'launch', []), none)
  })
})
