import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { connectClient } from '../testing/realtime-clients.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'
import { METRICS_PATH } from './ops-endpoints.ts'

// GET /metrics on the real stack (data on disk, so the journal is timed):
// refused without the token, and after real requests it holds every metric
// the design names, labelled by route templates, never by ids.

const TOKEN = 'metrics-token-for-tests-0123456789'
let stack: TestStack
let dataDir: string
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'rtkit-metrics-'))
  stack = await startTestStack({ RTKIT_METRICS_TOKEN: TOKEN, RTKIT_DATA_DIR: dataDir })
})
after(async () => {
  await stack.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** GET /metrics with `authorization`, bounded. */
function scrape(authorization?: string): Promise<Response> {
  return fetch(stack.apiUrl + METRICS_PATH, {
    ...(authorization ? { headers: { authorization } } : {}),
    signal: AbortSignal.timeout(10_000),
  })
}

/** The value of the one sample `line` starts with, or `undefined`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** Waits until `check` holds for a fresh scrape (events reach the bridge asynchronously). */
async function scrapeUntil(check: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5_000
  for (;;) {
    const text = await (await scrape(`Bearer ${TOKEN}`)).text()
    if (check(text) || Date.now() > deadline) return text
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('GET /metrics', () => {
  it('is refused without a token (401) and with a wrong one (403)', async () => {
    const missing = await scrape()
    assert.equal(missing.status, 401)
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer')
    assert.equal(missing.headers.get('access-control-allow-origin'), null, 'no CORS: other origins cannot read it')
    assert.equal((await scrape('Bearer not-the-metrics-token-at-all')).status, 403)
    assert.equal((await scrape(`Basic ${TOKEN}`)).status, 401)
  })

  it('holds the named metrics after real requests, labelled by route templates', async () => {
    const { token } = await stack.login('alice')
    const id = randomUUID()
    const created = await stack.api('POST', '/collections/tasks', {
      token,
      body: { id, board: 'metrics', title: 'Counted', status: 'todo', order: 1 },
    })
    assert.equal(created.status, 201)
    const updated = await stack.api('PATCH', `/collections/tasks/${id}`, { token, body: { expectedVersion: 1, title: 'Counted again' } })
    assert.equal(updated.status, 200)
    assert.equal((await stack.api('GET', `/no/such/${id}`)).status, 404)
    assert.equal((await stack.api('OPTIONS', `/collections/tasks/${id}`)).status, 204, "a browser's preflight")
    assert.equal((await stack.api('GET', `/collections/tasks/${id}`, { token })).status, 405, 'a method the route does not take')
    const client = await connectClient(stack.realtimeUrl, token)

    const response = await scrape(`Bearer ${TOKEN}`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const text = await scrapeUntil((body) => (sample(body, 'rtkit_bridge_lag_seconds_count') ?? 0) >= 2)
    client.close()

    assert.equal(sample(text, 'rtkit_http_requests_total{route="/collections/{name}/{id}",method="PATCH",status="200"}'), 1)
    assert.equal(sample(text, 'rtkit_http_requests_total{route="/collections/{name}",method="POST",status="201"}'), 1)
    assert.equal(sample(text, 'rtkit_http_requests_total{route="/auth/login",method="POST",status="200"}'), 1)
    assert.equal(sample(text, 'rtkit_http_requests_total{route="unmatched",method="GET",status="404"}'), 1)
    assert.equal(sample(text, 'rtkit_http_requests_total{route="/collections/{name}/{id}",method="OPTIONS",status="204"}'), 1)
    assert.equal(sample(text, 'rtkit_http_requests_total{route="/collections/{name}/{id}",method="GET",status="405"}'), 1)
    assert.ok(!text.includes(id), 'no id in any label')
    assert.ok(!text.includes('/no/such'), 'no raw path in any label')
    assert.ok(!/route="\/(ready|metrics|health)"/.test(text), 'the checks are not counted')
    assert.equal(sample(text, 'rtkit_http_request_duration_seconds_count{route="/collections/{name}/{id}",method="PATCH"}'), 1)
    // The bridge of this process publishes in process (server/realtime/in-process.ts), without a socket.
    assert.ok((sample(text, 'rtkit_realtime_connections') ?? 0) >= 1, 'the client is connected')
    assert.ok((sample(text, 'rtkit_bridge_lag_seconds_count') ?? 0) >= 2, 'the insert and the update were published')
    assert.ok((sample(text, 'rtkit_bridge_events_published_total{op="upsert"}') ?? 0) >= 2)
    assert.ok((sample(text, 'rtkit_database_journal_append_seconds_count') ?? 0) >= 2, 'the writes were journaled')
    assert.equal(sample(text, 'rtkit_auth_throttle_refusals_total{reason="blocked"}'), 0)
    assert.equal(sample(text, 'rtkit_database_reconnects_total{part="api"}'), 0)
    assert.equal(sample(text, 'rtkit_ready'), 1)
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      assert.ok(text.includes(`\n${name} `), `the process default ${name}`)
    }
  })

  it('counts the event subscriptions open on the node, and lets them go with their socket', async () => {
    const { token } = await stack.login('alice')
    const subscriptions = async (count: number) =>
      sample(await scrapeUntil((body) => sample(body, 'rtkit_realtime_subscriptions') === count), 'rtkit_realtime_subscriptions')
    assert.equal(await subscriptions(0), 0, 'none before a client subscribes')
    const client = await connectClient(stack.realtimeUrl, token)
    client.record('tasks/subscriptions-one')
    client.record('tasks/subscriptions-two')
    assert.equal(await subscriptions(2), 2)
    client.close()
    assert.equal(await subscriptions(0), 0)
  })

  it('counts sign-ins the throttle refuses', async () => {
    const statuses: number[] = []
    // Five failures are free per account and address; the next is refused until the back-off passes.
    for (let attempt = 0; attempt < 7; attempt++) {
      statuses.push((await stack.api('POST', '/auth/login', { body: { username: 'bob', password: 'not-his-password' } })).status)
    }
    const refused = statuses.filter((status) => status === 429).length
    assert.ok(refused >= 1, `no attempt was refused: ${statuses.join(',')}`)
    const text = await (await scrape(`Bearer ${TOKEN}`)).text()
    assert.equal(sample(text, 'rtkit_auth_throttle_refusals_total{reason="blocked"}'), refused)
    assert.equal(sample(text, 'rtkit_http_requests_total{route="/auth/login",method="POST",status="429"}'), refused)
  })
})
