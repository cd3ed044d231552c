import assert from 'node:assert/strict'
import net from 'node:net'
import { after, describe, it } from 'node:test'
import { connectClient } from './testing/realtime-clients.ts'
import { testEnv } from './testing/test-env.ts'
import { ConfigError } from './config.ts'
import { issueToken } from './lib/tokens.ts'
import { startNode, startStack, type ServerNode } from './stack.ts'

// RTKIT_ROLE in one process: deepstream alone never reaches the database
// (in AWS its tasks cannot), and the commands that run every part say so
// when asked for fewer.

let node: ServerNode | undefined
after(() => node?.close())

/** A database URL nothing answers on: a closed loopback port. */
async function deadDatabaseUrl(): Promise<string> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()))
  const { port } = probe.address() as net.AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return `rethinkdb://127.0.0.1:${port}/rtkit`
}

describe('RTKIT_ROLE', () => {
  it('runs deepstream alone without touching the database', async () => {
    node = await startNode(testEnv({ RTKIT_ROLE: 'realtime', RTKIT_RETHINKDB_URL: await deadDatabaseUrl() }))
    assert.equal(node.apiUrl, undefined)
    assert.equal(node.bridge, undefined)
    assert.equal(node.embedded, undefined)
    assert.ok(node.realtimeUrl)
    const health = await fetch(`${node.realtimeUrl.replace(/^ws/, 'http').replace(/\/deepstream$/, '')}/health-check`)
    assert.equal(health.status, 200)
    const { token } = issueToken({ id: 'someone', username: 'someone', name: 'Someone' }, 'user', node.config.jwt)
    const client = await connectClient(node.realtimeUrl, token)
    client.close()
  })

  it('refuses to start every part from a role list that names fewer', async () => {
    await assert.rejects(startStack(testEnv({ RTKIT_ROLE: 'realtime' })), ConfigError)
  })
})
