// The whole stack on a data folder whose disk really fills up (a small tmpfs,
// mounted for this test): writes that cannot be made durable get 503 with
// Retry-After, never 500, and are seen by no reader; once space returns,
// writes succeed; after a crash and a restart every acknowledged write is
// there and no other. Mounting needs root (CI runs as root); elsewhere the
// test is skipped, and embedded-durability.test.ts covers the same path with
// an injected ENOSPC.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { captureLogs } from '../lib/log.ts'
import { startTestStack, type TestStack } from '../testing/test-stack.ts'

const BOARD = 'disk-full'
const WRITES = 300
const AT_ONCE = 16

function mountTmpfs(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'rtkit-disk-full-'))
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { encoding: 'utf8' })
  if (mounted.status === 0) return dir
  rmSync(dir, { recursive: true, force: true })
  return undefined
}

function unmount(dir: string): void {
  // Lazily when busy (a failed test may leave a file open): never leave a mount behind.
  if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir])
  rmSync(dir, { recursive: true, force: true })
}

async function postTasks(
  stack: TestStack,
  token: string,
  count: number,
): Promise<Array<{ id: string; status: number; retryAfter: string | null }>> {
  const results: Array<{ id: string; status: number; retryAfter: string | null }> = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const id = randomUUID()
      next++
      const body = { id, board: BOARD, title: `Task ${id}`, status: 'todo', order: next }
      const response = await stack.api('POST', '/collections/tasks', { token, body })
      results.push({ id, status: response.status, retryAfter: response.headers.get('retry-after') })
    }
  }
  await Promise.all(Array.from({ length: AT_ONCE }, worker))
  return results
}

async function listed(stack: TestStack, token: string): Promise<string[]> {
  const response = await stack.api('GET', `/collections/tasks?board=${BOARD}&limit=1000`, { token })
  assert.equal(response.status, 200)
  return (response.body.items as Array<{ id: string }>).map((item) => item.id).sort()
}

describe('a full disk under the embedded database', () => {
  it('refuses what it cannot store with 503, shows none of it, and loses no acknowledged write', async (t) => {
    const dir = mountTmpfs()
    if (!dir) {
      assert.ok(!process.env.CI, 'CI runs as root and must be able to mount a tmpfs')
      t.skip('mounting a tmpfs needs root')
      return
    }
    const logs = captureLogs()
    let stack: TestStack | undefined
    try {
      stack = await startTestStack({ RTKIT_DATA_DIR: dir })
      const { token } = await stack.login('alice')
      // Leave room for a few dozen journal lines, then write far more than fit.
      const { bavail, bsize } = statfsSync(dir)
      writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 24 * 1024)))

      const whileFull = await postTasks(stack, token, WRITES)
      const statuses = new Set(whileFull.map((result) => result.status))
      assert.deepEqual(
        [...statuses].filter((status) => status !== 201 && status !== 503),
        [],
        'only 201 or 503',
      )
      const refused = whileFull.filter((result) => result.status === 503)
      assert.ok(refused.length > 0, 'the disk filled up')
      for (const result of refused) assert.ok(Number(result.retryAfter) >= 1, '503 carries Retry-After')
      const acknowledged = whileFull.filter((result) => result.status === 201).map((result) => result.id)
      assert.deepEqual(await listed(stack, token), [...acknowledged].sort(), 'readers see exactly the acknowledged writes')

      // Space returns: writes go through again.
      rmSync(join(dir, 'filler'))
      const afterwards = await postTasks(stack, token, 10)
      assert.deepEqual(
        afterwards.map((result) => result.status),
        Array(10).fill(201),
      )
      acknowledged.push(...afterwards.map((result) => result.id))

      // A crash (no final snapshot), then a start on the same folder: every acknowledged write, and no other.
      await stack.embedded!.crash()
      await stack.close()
      stack = await startTestStack({ RTKIT_DATA_DIR: dir })
      const again = await stack.login('alice')
      assert.deepEqual(await listed(stack, again.token), [...acknowledged].sort())
    } finally {
      logs.restore()
      await stack?.close().catch(() => undefined)
      unmount(dir)
    }
  })
})
