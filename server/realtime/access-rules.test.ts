import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Principal } from '../../contracts/principal.ts'
import { RESYNC_TOPIC } from '../../contracts/realtime.ts'
import { mayPerform, RealtimeAction } from './access-rules.ts'

const alice: Principal = { id: 'alice-id', username: 'alice', name: 'Alice', role: 'user' }
const bridge: Principal = { id: 'service:bridge', username: 'service:bridge', name: 'rtkit bridge', role: 'service' }
const { subscribe, unsubscribe, publish, presence, other } = RealtimeAction

describe('mayPerform', () => {
  describe('subscribe', () => {
    it('follows the collection read rule', () => {
      assert.equal(mayPerform(alice, subscribe, 'tasks/launch'), true)
      assert.equal(mayPerform(alice, subscribe, 'messages/lobby'), true)
      assert.equal(mayPerform(alice, subscribe, 'messages/dm:alice-id:bob-id'), true)
      assert.equal(mayPerform(alice, subscribe, 'messages/dm:bob-id:carol-id'), false)
    })

    it('allows the resync topic to every principal', () => {
      assert.equal(mayPerform(alice, subscribe, RESYNC_TOPIC), true)
    })

    it('refuses unknown collections, malformed topics and partitions', () => {
      for (const topic of ['users/alice', 'tasks', 'tasks/', '/launch', 'tasks/a/b', 'tasks/-x', 'anything']) {
        assert.equal(mayPerform(alice, subscribe, topic), false, topic)
      }
    })
  })

  describe('publish', () => {
    it('is for the service only, on collection topics and the resync topic', () => {
      assert.equal(mayPerform(bridge, publish, 'tasks/launch'), true)
      assert.equal(mayPerform(bridge, publish, RESYNC_TOPIC), true)
      assert.equal(mayPerform(alice, publish, 'tasks/launch'), false)
      assert.equal(mayPerform(alice, publish, RESYNC_TOPIC), false)
      assert.equal(mayPerform(bridge, publish, 'chat/anything'), false)
    })
  })

  it('allows presence and unsubscribing, and nothing else', () => {
    assert.equal(mayPerform(alice, presence), true)
    assert.equal(mayPerform(alice, unsubscribe, 'tasks/launch'), true)
    assert.equal(mayPerform(alice, other, 'tasks/launch'), false)
    assert.equal(mayPerform(bridge, other, 'tasks/launch'), false)
  })
})
