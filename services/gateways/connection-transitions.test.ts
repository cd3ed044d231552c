import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nextConnectionStatus, withNetwork, type ConnectionSignal } from './connection-transitions.ts'
import type { ConnectionStatus } from './connection-status.ts'

const run = (signals: ConnectionSignal[]): ConnectionStatus[] => {
  let status: ConnectionStatus = 'closed'
  return signals.map((signal) => (status = nextConnectionStatus(status, signal)))
}
const state = (name: string): ConnectionSignal => ({ kind: 'state', state: name })

describe('nextConnectionStatus', () => {
  it('goes connecting → open on a first login', () => {
    assert.deepEqual(run([state('INITIALISING'), state('AWAITING_CONNECTION'), state('AUTHENTICATING'), state('OPEN')]), [
      'connecting',
      'connecting',
      'connecting',
      'open',
    ])
  })

  it('shows reconnecting after a drop, offline once an attempt fails, and open again', () => {
    assert.deepEqual(run([state('OPEN'), state('RECONNECTING'), { kind: 'error' }, state('AWAITING_CONNECTION'), state('OPEN')]), [
      'open',
      'reconnecting',
      'offline',
      'offline',
      'open',
    ])
  })

  it('is offline when the first connection cannot be made or the token is refused', () => {
    assert.deepEqual(run([state('INITIALISING'), state('RECONNECTING')]), ['connecting', 'offline'])
    assert.deepEqual(run([state('INITIALISING'), { kind: 'authRejected' }]), ['connecting', 'offline'])
  })
})

describe('withNetwork', () => {
  it('says offline while the browser reports no network, whatever the socket says, unless nobody is signed in', () => {
    const statuses: ConnectionStatus[] = ['connecting', 'open', 'reconnecting', 'offline', 'closed']
    assert.deepEqual(
      statuses.map((status) => withNetwork(status, false)),
      ['offline', 'offline', 'offline', 'offline', 'closed'],
    )
    assert.deepEqual(
      statuses.map((status) => withNetwork(status, true)),
      statuses,
    )
  })
})
