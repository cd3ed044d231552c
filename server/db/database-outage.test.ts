import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { firstValueFrom } from 'rxjs'
import { createKit } from '../../services/create-kit.ts'
import { MemoryStorage } from '../../services/storage/memory-storage.ts'
import { waitFor } from '../../services/testing/wait.ts'
import { captureLogs } from '../lib/log.ts'
import { startTestStack } from '../testing/test-stack.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts'
import { DEMO_PASSWORD } from './seed.ts'
import { tasksOf } from '../../services/index.ts'

// A client (the services' createKit, in node) keeps writing while the
// database is down: the server answers 503, the kit keeps those writes
// queued, and once the database is back from its data folder each lands
// exactly once.

const cleanups: Array<() => Promise<void> | void> = []
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

describe('when the database is down while a client (createKit, in node) keeps writing', { timeout: 120_000 }, () => {
  it('keeps the 503-answered writes queued and applies each exactly once after the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtkit-outage-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const stack = await startTestStack({ RTKIT_DATA_DIR: dir })
    let database: EmbeddedDatabase = stack.embedded!
    cleanups.push(async () => {
      await stack.close()
      if (database !== stack.embedded) await database.close()
    })
    const kit = createKit({ apiUrl: stack.apiUrl, realtimeUrl: stack.realtimeUrl, storage: new MemoryStorage() })
    cleanups.push(() => kit.dispose())
    await kit.login('alice', DEMO_PASSWORD)
    await waitFor(kit.connection$, (status) => status === 'open', 'the realtime connection')
    const board = `outage-${Date.now()}`
    const view = tasksOf(kit).tasks$(board).subscribe()
    cleanups.push(() => view.unsubscribe())
    await waitFor(tasksOf(kit).tasks$(board), (tasks) => tasks.length === 0, 'the empty board')
    const kept = tasksOf(kit).addTask({ board, title: 'before the outage' })
    assert.equal((await kept.settled).status, 'confirmed')
    await waitFor(
      tasksOf(kit).tasks$(board),
      (tasks) => tasks.some((task) => task.id === kept.docId && task.version === 1),
      'the stored task',
    )

    const logs = captureLogs()
    cleanups.push(() => logs.restore())
    await database.crash()
    const a = tasksOf(kit).addTask({ board, title: 'A' })
    const b = tasksOf(kit).addTask({ board, title: 'B' })
    tasksOf(kit).renameTask(a.docId, 'A renamed')
    tasksOf(kit).renameTask(kept.docId, 'renamed during the outage')
    tasksOf(kit).removeTask(b.docId)
    const c = tasksOf(kit).addTask({ board, title: 'C' })
    // The first command meets the outage (503): it is deferred, not rejected, and nothing is dropped.
    await waitFor(kit.pending$, (pending) => pending.length === 6 && pending.every((p) => p.state === 'queued'), 'the queue, deferred')
    assert.deepEqual(await firstValueFrom(kit.errors$), [])

    database = await startEmbeddedDatabase({ dataDir: dir, port: database.port })
    await waitFor(kit.pending$, (pending) => pending.length === 0, 'the queue to drain', 60_000)

    const stored = (await stack.rows('tasks')).filter((row) => row.board === board || [a.docId, b.docId].includes(row.id))
    const byId = new Map(stored.map((row) => [row.id, row]))
    assert.deepEqual(
      stored
        .filter((row) => !row.tombstone)
        .map((row) => [row.title, row.version])
        .sort(),
      [
        ['A renamed', 2],
        ['C', 1],
        ['renamed during the outage', 2],
      ],
    )
    assert.equal(byId.get(b.docId)?.tombstone, true, 'B added, then deleted')
    assert.equal(byId.get(c.docId)?.title, 'C')
    assert.deepEqual(await firstValueFrom(kit.errors$), [])
  })
})
