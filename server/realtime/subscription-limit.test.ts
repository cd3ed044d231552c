// One socket holds a bounded number of event subscriptions (a review held
// 100,000 on one socket): past the limit a new topic is refused like any
// other subscription (MESSAGE_DENIED).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { connectClient, login, type TestClient } from '../testing/realtime-clients.ts'
import { eventually } from '../testing/write-load.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'

const LIMIT = 3

describe('subscriptions per socket', () => {
  let stack: TestStack
  let client: TestClient
  before(async () => {
    stack = await startTestStack({ RTKIT_REALTIME_MAX_SUBSCRIPTIONS: String(LIMIT) })
    client = await connectClient(stack.realtimeUrl, (await login(stack, 'alice')).token)
  })
  after(async () => {
    client?.close()
    await stack?.close()
  })

  const denials = () => client.errors.filter((error) => error.event === 'MESSAGE_DENIED').length
  const until = (what: string, done: () => boolean) => eventually(what, done, 10_000)

  it('refuses a new topic past the limit, and keeps allowing the topics within it', async () => {
    const handler = () => undefined
    for (let i = 0; i < LIMIT; i++) client.client.event.subscribe(`tasks/limit-${i}`, handler)
    // A refusal of any of these would show up while the next one is sent.
    client.client.event.subscribe(`tasks/limit-${LIMIT}`, handler)
    await until('the subscription past the limit is refused', () => denials() === 1)

    // Topics it holds already stay allowed.
    client.client.event.unsubscribe(`tasks/limit-0`, handler)
    client.client.event.subscribe(`tasks/limit-0`, handler)
    client.client.event.subscribe(`tasks/limit-other`, handler)
    await until('the next new topic is refused too', () => denials() === 2)
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(denials(), 2, 'a topic within the limit was allowed again')
  })
})
