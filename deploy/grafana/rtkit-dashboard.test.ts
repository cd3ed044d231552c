import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { startTestStack, type TestStack } from '../../server/testing/test-stack.ts'

// The dashboard queries only what the server exports: every metric name in
// every panel's query is a series of GET /metrics on the real stack, after
// a sign-in and a write (labelled series exist once counted).

interface Dashboard {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>
}

const dashboard = JSON.parse(readFileSync(new URL('./rtkit-dashboard.json', import.meta.url), 'utf8')) as Dashboard
const TOKEN = 'dashboard-test-token-0123456789'
let stack: TestStack
before(async () => {
  stack = await startTestStack({ RTKIT_METRICS_TOKEN: TOKEN })
})
after(() => stack.close())

/** The series names of a Prometheus text exposition. */
function seriesNames(text: string): Set<string> {
  return new Set(text.split('\n').flatMap((line) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line)?.[1] ?? []))
}

describe('the Grafana dashboard', () => {
  const queried = new Set(
    dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => target.expr.match(/\b(?:rtkit|process|nodejs)_[a-z0-9_]+/g) ?? []),
    ),
  )

  it('covers what operators watch', () => {
    for (const name of [
      'rtkit_http_requests_total',
      'rtkit_http_request_duration_seconds_bucket',
      'rtkit_realtime_connections',
      'rtkit_bridge_lag_seconds_bucket',
      'rtkit_database_journal_append_seconds_bucket',
      'rtkit_auth_throttle_refusals_total',
    ]) {
      assert.ok(queried.has(name), `no panel queries ${name}`)
    }
  })

  it('queries only metrics that GET /metrics exports', async () => {
    const { token } = await stack.login('alice')
    const task = { id: randomUUID(), board: 'dashboard', title: 'Seen', status: 'todo', order: 1 }
    assert.equal((await stack.api('POST', '/collections/tasks', { token, body: task })).status, 201)
    let exported = new Set<string>()
    const deadline = Date.now() + 5_000
    do {
      const response = await fetch(stack.apiUrl + '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
      assert.equal(response.status, 200)
      exported = seriesNames(await response.text())
      if (exported.has('rtkit_bridge_events_published_total')) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    } while (Date.now() < deadline)
    const missing = [...queried].filter((name) => !exported.has(name))
    assert.deepEqual(missing, [], `the dashboard queries metrics /metrics does not export: ${missing.join(', ')}`)
  })
})
