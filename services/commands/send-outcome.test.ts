import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConflictError, ForbiddenError, NetworkError, NotFoundError, UnauthorizedError } from '../gateways/http-errors.ts'
import { task } from '../testing/fixtures.ts'
import type { Command } from './command.ts'
import { failureOutcome } from './send-outcome.ts'

const meta = { id: 'c', type: '[Tasks] Rename Task', collection: 'tasks', docId: 't1', userId: 'alice', issuedAt: '' } as const
const rename: Command = { ...meta, op: 'update', patch: { title: 'New' }, expectedVersion: 3 }
const remove: Command = { ...meta, op: 'remove' }

describe('failureOutcome', () => {
  it('defers on network trouble and stops on 401', () => {
    assert.equal(failureOutcome(rename, new NetworkError('down')).kind, 'deferred')
    assert.equal(failureOutcome(rename, new UnauthorizedError('unauthorized', 'expired', 401)).kind, 'unauthorized')
  })

  it('counts a replayed delete that finds nothing as done', () => {
    assert.equal(failureOutcome(remove, new NotFoundError('not_found', 'gone', 404)).kind, 'confirmed')
  })

  it('recognises its own earlier write in a conflict, and reports a real conflict with the current document', () => {
    const own = task('t1', 4, { title: 'New' })
    assert.deepEqual(failureOutcome(rename, new ConflictError('conflict', 'stale', 409, { current: own })), { kind: 'confirmed', doc: own })
    const theirs = task('t1', 4, { title: 'Theirs' })
    const outcome = failureOutcome(rename, new ConflictError('conflict', 'stale', 409, { current: theirs }))
    assert.equal(outcome.kind, 'rejected')
    assert.equal(outcome.kind === 'rejected' && outcome.current, theirs)
  })

  it('rejects other refusals', () => {
    assert.equal(failureOutcome(rename, new ForbiddenError('forbidden', 'no', 403)).kind, 'rejected')
  })
})
