import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { haproxyConfig } from './haproxy.ts'

// The balancer sends work only to ready nodes: both backends check the
// node's GET /ready (deepstream's servers on their node's gateway port).

describe('haproxyConfig', () => {
  const config = haproxyConfig({
    host: '127.0.0.1',
    apiPort: 3000,
    realtimePort: 6020,
    nodes: [
      { name: 'node-1', apiUrl: 'http://127.0.0.1:41001', realtimeUrl: 'ws://127.0.0.1:42001/deepstream' },
      { name: 'node-2', apiUrl: 'http://127.0.0.1:41002', realtimeUrl: 'ws://127.0.0.1:42002/deepstream' },
    ],
  })
  const backend = (name: string) => config.split(/\n(?=backend |frontend )/).find((block) => block.startsWith(`backend ${name}`)) ?? ''

  it('checks the gateways on /ready', () => {
    assert.match(backend('gateways'), /option httpchk GET \/ready\n/)
    assert.match(backend('gateways'), /server node-1 127\.0\.0\.1:41001 check\n/)
  })

  it('checks each deepstream node on its gateway /ready', () => {
    assert.match(backend('deepstream'), /option httpchk GET \/ready\n/)
    assert.match(backend('deepstream'), /server node-1 127\.0\.0\.1:42001 check port 41001 on-marked-down shutdown-sessions\n/)
    assert.match(backend('deepstream'), /server node-2 127\.0\.0\.1:42002 check port 41002 on-marked-down shutdown-sessions\n/)
    assert.doesNotMatch(config, /health/)
  })

  it('lets a node taken out finish its HTTP requests (a draining node does), and cuts only its WebSocket tunnels', () => {
    assert.doesNotMatch(backend('gateways'), /shutdown-sessions/)
    assert.doesNotMatch(config.split('\nfrontend ')[0]!, /shutdown-sessions/)
  })
})
