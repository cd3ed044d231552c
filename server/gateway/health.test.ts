import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { HEALTH_PATH, startGateway, type RunningGateway } from './local-gateway.ts'

// The gateway's own health check, which a balancer polls. No database is
// needed to answer it: it says the gateway process serves.

let gateway: RunningGateway
before(async () => {
  gateway = await startGateway({ host: '127.0.0.1', port: 0, corsOrigin: '', timeoutMs: 1_000 })
})
after(() => gateway.close())

describe('GET /health', () => {
  it('answers 200 with a small JSON body that no cache keeps', async () => {
    const response = await fetch(gateway.url + HEALTH_PATH)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await response.json(), { status: 'ok' })
  })

  it('is not a route of the API: other methods get the usual 404', async () => {
    const response = await fetch(gateway.url + HEALTH_PATH, { method: 'POST' })
    assert.equal(response.status, 404)
  })
})
