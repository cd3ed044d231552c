import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rethinkdbNodeCommands } from './rethinkdb-node-script.ts'

describe('rethinkdbNodeCommands', () => {
  // Prepare
  const script = rethinkdbNodeCommands({
    serverName: 'db_1',
    peers: ['db-0.rtkit.internal', 'db-2.rtkit.internal'],
    image: 'rethinkdb:2.4',
    dataDevice: '/dev/sdf',
  }).join('\n')

  it('formats the data volume only when it holds no file system', () => {
    assert.match(script, /^blkid \/dev\/sdf \|\| mkfs -t xfs \/dev\/sdf$/m)
  })

  it('runs RethinkDB from the image, restarting with the machine, on the mounted volume', () => {
    assert.match(
      script,
      /docker run -d --name rethinkdb --restart always --network host -v \/var\/lib\/rethinkdb:\/data rethinkdb:2\.4 rethinkdb --directory \/data\/rtkit/,
    )
  })

  it('joins each peer on the cluster port and keeps the web console on loopback', () => {
    const run = script.split('\n').find((line) => line.startsWith('docker run'))!
    assert.deepEqual(
      [...run.matchAll(/--join (\S+)/g)].map((match) => match[1]),
      ['db-0.rtkit.internal:29015', 'db-2.rtkit.internal:29015'],
    )
    assert.match(run, /--bind-driver all --bind-cluster all/)
    assert.doesNotMatch(run, /--bind all|--bind-http/)
  })
})
