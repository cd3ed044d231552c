import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import { killGroup } from '../server/testing/process-group.ts'
import { testEnv } from '../server/testing/test-env.ts'
import { DEMO_PASSWORD } from '../server/db/seed.ts'

// `npm run cluster` as a user runs it (one node here, to keep the run short;
// the cluster tests run two): the ready line, the balancer and the demo page
// in front of the node, and SIGTERM stopping every process it started.

const root = fileURLToPath(new URL('..', import.meta.url))
let cluster: ChildProcess | undefined
const dataDir = mkdtempSync(join(tmpdir(), 'rtkit-cluster-'))

after(() => {
  // The safety net when a test failed half-way: the whole process group.
  // Whether or not its first process is still there: what it started may be.
  if (cluster?.pid) killGroup(cluster.pid)
  rmSync(dataDir, { recursive: true, force: true })
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('npm run cluster', () => {
  it('prints its ready line, serves through the balancer, and stops everything on SIGTERM', async () => {
    cluster = spawn(process.execPath, ['--import', 'tsx', 'scripts/cluster.ts'], {
      cwd: root,
      detached: true, // its own process group, as in a terminal
      env: testEnv({
        RTKIT_NODES: '1',
        RTKIT_REDIS_URL: '',
        RTKIT_REDIS_PASSWORD: '',
        RTKIT_ROLE: '',
        RTKIT_DEMO: 'true',
        RTKIT_LOG_LEVEL: 'error',
        RTKIT_DATA_DIR: dataDir,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    cluster.stdout!.on('data', (chunk) => (output += chunk))
    cluster.stderr!.on('data', (chunk) => (output += chunk))
    const exited = new Promise<number | null>((resolve) => cluster!.once('exit', (code) => resolve(code)))
    const ready = await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${output}`)), 60_000)
      const check = () => {
        const line = /^rtkit ready (.*)$/m.exec(output)?.[1]
        if (!line || !/pid \d+.*HAProxy pid \d+/.test(output)) return
        clearTimeout(timer)
        resolve(Object.fromEntries(line.split(' ').map((pair) => pair.split('=') as [string, string])))
      }
      cluster!.stdout!.on('data', check)
      void exited.then((code) => reject(new Error(`npm run cluster exited early (${code}):\n${output}`)))
    })
    assert.deepEqual(Object.keys(ready), ['api', 'realtime', 'api-nodes', 'realtime-nodes', 'demo'])
    assert.match(ready['realtime']!, /^ws:\/\/127\.0\.0\.1:\d+\/deepstream$/)
    assert.notEqual(ready['api'], ready['api-nodes'], 'the API is the balancer, not the node')

    const health = await fetch(`${ready['api']}/health`, { signal: AbortSignal.timeout(5_000) })
    assert.deepEqual(await health.json(), { status: 'ok' })
    const login = await fetch(`${ready['demo']}api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: DEMO_PASSWORD }),
      signal: AbortSignal.timeout(5_000),
    })
    assert.equal(login.status, 200, 'the demo page reaches the API through the balancer')

    // Redis's password: kept owner-only in the data folder, and said where, never printed.
    const passwordFile = join(dataDir, 'redis-password')
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600)
    assert.ok(!output.includes(readFileSync(passwordFile, 'utf8').trim()), 'the Redis password is not in the output')
    assert.ok(output.includes(`password in ${passwordFile}`), 'it says where the password is')

    const pids = [...output.matchAll(/pid (\d+)/g)].map((match) => Number(match[1]))
    assert.equal(pids.length, 3, `a node, Redis and HAProxy: ${output}`)
    assert.ok(pids.every(alive))
    process.kill(cluster.pid!, 'SIGTERM')
    const stopped = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000).unref()),
    ])
    assert.equal(stopped, 0, output)
    assert.deepEqual(pids.filter(alive), [], 'every process it started has stopped')
  })
})
