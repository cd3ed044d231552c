import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  ServerError,
  UnauthorizedError,
  errorFromResponse,
} from '../gateways/http-errors.ts'
import { task } from '../testing/fixtures.ts'
import type { Command } from './command.ts'
import { updateCommand } from './command-factories.ts'
import { CommandType } from './command-types.ts'
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

  it('asks again later while a function call with its key still runs on the server, and rejects other conflicts of a call', () => {
    const call: Command = { ...meta, op: 'call', function: 'close-poll', input: { poll: 'p' }, collection: 'functions/close-poll' }
    const running = errorFromResponse(409, { error: { code: 'conflict', message: 'still running', details: { inProgress: true } } })
    assert.deepEqual(failureOutcome(call, running), { kind: 'deferred' })
    assert.equal(failureOutcome(call, new ConflictError('poll_closed', 'closed', 409)).kind, 'rejected')
    assert.equal(failureOutcome(rename, running).kind, 'rejected')
  })

  it('rejects other refusals', () => {
    assert.equal(failureOutcome(rename, new ForbiddenError('forbidden', 'no', 403)).kind, 'rejected')
  })

  describe('when the server answers 5xx', () => {
    it('keeps a command queued on 503 unavailable (the database is down), to retry with backoff', () => {
      const error = errorFromResponse(503, { error: { code: 'unavailable', message: 'the database is unavailable' } })
      assert.ok(error instanceof ServerError)
      assert.equal(error.transient, true)
      assert.deepEqual(failureOutcome(rename, error), { kind: 'deferred' })
      assert.deepEqual(failureOutcome(remove, error), { kind: 'deferred' })
    })

    it('rolls a command back on 500, which would most likely fail the same way again', () => {
      const error = errorFromResponse(500, { error: { code: 'internal', message: 'Internal error' } })
      assert.equal(error.transient, false)
      assert.equal(failureOutcome(rename, error).kind, 'rejected')
    })
  })

  it('recognises its own earlier rename when the title was typed with spaces the server trimmed', () => {
    // Prepare: the command as the facade builds it; the server stored the title trimmed, and the answer was lost.
    const context = { userId: 'alice', newId: () => 'c', now: () => '' }
    const command = updateCommand(context, CommandType.renameTask, 'tasks', 't1', { title: '  New  ' }, 3)
    const stored = task('t1', 4, { title: 'New' })
    // Act: the replay gets 409 with the stored document.
    const outcome = failureOutcome(command, new ConflictError('conflict', 'stale', 409, { current: stored }))
    // Assess
    assert.deepEqual(outcome, { kind: 'confirmed', doc: stored })
  })
})
