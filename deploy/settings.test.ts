import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeploySettingsError, readSettings } from './settings.ts'

/** Context as `-c key=value` gives it: strings only. */
const context = (values: Record<string, string>) => (key: string) => values[key]

describe('readSettings', () => {
  it('gives a deployable default with no context at all', () => {
    // Act
    const settings = readSettings(context({}))
    // Assess
    assert.equal(settings.rethinkdb.nodes, 3)
    assert.equal(settings.rethinkdb.replicas, 3)
    assert.equal(settings.realtime.tasks, 2)
    assert.equal(settings.bridge.tasks, 2)
    assert.equal(settings.natGateways, 1)
    assert.equal(settings.certificateArn, undefined)
    assert.equal(settings.corsOrigin, '*')
  })

  it('reads numbers given as strings on the command line, and as numbers in cdk.json', () => {
    assert.equal(readSettings(context({ rethinkdbNodes: '5', rethinkdbReplicas: '5' })).rethinkdb.replicas, 5)
    assert.equal(readSettings((key) => (key === 'realtimeTasks' ? 4 : undefined)).realtime.tasks, 4)
  })

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ['fewer than three RethinkDB nodes', { rethinkdbNodes: '2' }, /rethinkdbNodes must be an integer at least 3/],
    ['more replicas than nodes', { rethinkdbNodes: '3', rethinkdbReplicas: '4' }, /rethinkdbReplicas must be an integer from 1 to 3/],
    ['a single deepstream task', { realtimeTasks: '1' }, /realtimeTasks must be an integer at least 2/],
    ['a single bridge task', { bridgeTasks: '1' }, /bridgeTasks must be an integer at least 2/],
    ['three NAT gateways for two zones', { natGateways: '3' }, /natGateways must be an integer from 1 to 2/],
    ['a count that is not a number', { rethinkdbNodes: 'three' }, /rethinkdbNodes .* got "three"/],
  ]
  for (const [what, values, message] of refused) {
    it(`refuses ${what}, naming the context key`, () => {
      assert.throws(
        () => readSettings(context(values)),
        (error: unknown) => error instanceof DeploySettingsError && message.test(error.message),
      )
    })
  }
})
