import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Role, type Principal } from '../../contracts/principal.ts'
import { topicFor } from '../../contracts/realtime.ts'
import { log } from '../lib/log.ts'
import { connectClient, login, startRealtimeTestStack, within, type TestClient } from '../testing/realtime-clients.ts'
import type { TestStack } from '../testing/test-stack.ts'
import { connectPublisher, type RealtimePublisher } from './realtime-publisher.ts'

// The bridge's publisher beside a deepstream server of the same process:
// it publishes straight into it (no token, no socket), under the same
// realtime rules, and learns of the server's restarts.

const service: Principal = { id: 'service:bridge', username: 'service:bridge', name: 'rtkit bridge', role: Role.service }

let stack: TestStack
let reader: TestClient
const publishers: RealtimePublisher[] = []

before(async () => {
  stack = await startRealtimeTestStack()
  reader = await connectClient(stack.realtimeUrl, (await login(stack, 'bob')).token)
})
after(async () => {
  for (const publisher of publishers) publisher.close()
  reader.close()
  await stack.close()
})

async function publisherAs(principal: Principal, onReconnected: () => void = () => undefined): Promise<RealtimePublisher> {
  const publisher = await connectPublisher({
    url: stack.realtimeUrl,
    principal,
    // In process there is no login: a token asked for would fail the test.
    token: () => assert.fail('an in-process publisher needs no token'),
    onReconnected,
    log: log.child({ part: 'publisher-test' }),
  })
  publishers.push(publisher)
  return publisher
}

const board = () => `publisher-${randomUUID().slice(0, 8)}`

describe('in-process publisher', () => {
  it("delivers the service's events to the node's subscribers without logging in", async () => {
    const topic = topicFor('tasks', board())
    const events = reader.record(topic)
    await new Promise((resolve) => setTimeout(resolve, 250)) // the subscription reaches the server
    const publisher = await publisherAs(service)

    const event = { op: 'upsert', doc: { id: randomUUID(), title: 'in process' }, version: 1 }
    publisher.publish(topic, event)
    assert.deepEqual(await events.next((e) => e.doc?.id === event.doc.id), event)
  })

  it('publishes nothing for a principal the realtime rules do not let publish', async () => {
    const topic = topicFor('tasks', board())
    const events = reader.record(topic)
    await new Promise((resolve) => setTimeout(resolve, 250))
    const user: Principal = { id: randomUUID(), username: 'mallory', name: 'Mallory', role: Role.user }
    const forged = await publisherAs(user)
    const bridge = await publisherAs(service)

    forged.publish(topic, { op: 'upsert', doc: { id: 'forged', title: 'forged' }, version: 1 })
    // The service's event, published after, arrives; the user's, before it, never did.
    bridge.publish(topic, { op: 'upsert', doc: { id: 'genuine', title: 'genuine' }, version: 1 })
    await events.next((e) => e.doc?.id === 'genuine')
    assert.deepEqual(
      events.events.map((e) => e.doc?.id),
      ['genuine'],
    )
  })

  it('calls onReconnected after the server restarts, so the bridge announces a resync', async () => {
    let restarts = 0
    await publisherAs(service, () => void restarts++)
    await within(10_000, 'the restart', stack.realtime.restart())
    assert.equal(restarts, 1)
  })
})
