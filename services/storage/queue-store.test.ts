import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Command } from '../commands/command.ts'
import { LatestWrites } from './latest-writes.ts'
import { MemoryStorage } from './memory-storage.ts'
import { QueueStore } from './queue-store.ts'
import { STALE_AFTER_MS, tabPresence } from './tab-presence.ts'

const add = (id: string, userId = 'alice'): Command => ({
  id,
  op: 'insert',
  type: '[Tasks] Add Task',
  collection: 'tasks',
  docId: `doc-${id}`,
  userId,
  issuedAt: '2024-01-01T00:00:00.000Z',
  fields: { title: id },
})
const ids = (commands: readonly Command[]) => commands.map((command) => command.id)

/** A minimal Web Locks: exclusive per name; a lock is held until its callback settles. */
function fakeLocks() {
  const held = new Set<string>()
  const chains = new Map<string, Promise<unknown>>()
  const locks = {
    request<T>(name: string, work: () => Promise<T>): Promise<T> {
      const run = (chains.get(name) ?? Promise.resolve()).then(async () => {
        held.add(name)
        try {
          return await work()
        } finally {
          held.delete(name)
        }
      })
      chains.set(
        name,
        run.catch(() => undefined),
      )
      return run
    },
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
  }
  return locks as unknown as LockManager
}

/** One tab: its presence and its queue store on the shared storage. */
function tab(storage: MemoryStorage, id: string, options: { locks?: LockManager; now?: () => number } = {}) {
  const presence = tabPresence('rtkit', id, options.locks)
  return { presence, queues: new QueueStore(storage, 'rtkit', presence, new LatestWrites(storage, 'the queue'), options.now) }
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('QueueStore', () => {
  it('keeps one queue per tab, so two tabs never overwrite each other', async () => {
    const storage = new MemoryStorage()
    const one = tab(storage, 'one')
    const two = tab(storage, 'two')
    one.queues.save('alice', [add('a1')])
    two.queues.save('alice', [add('b1')])
    one.queues.save('alice', [add('a1'), add('a2')])
    assert.deepEqual(ids(await one.queues.load('alice')), ['a1', 'a2'], 'tab two is open: its queue stays its own')
    assert.deepEqual(ids(await two.queues.load('alice')), ['b1'])
  })

  describe('with Web Locks', () => {
    it("takes over a closed tab's queue once, after its own is stored, and never an open tab's", async () => {
      const storage = new MemoryStorage()
      const locks = fakeLocks()
      const one = tab(storage, 'one', { locks })
      const two = tab(storage, 'two', { locks })
      await settle() // both tab locks granted
      one.queues.save('alice', [add('a1')])
      two.queues.save('alice', [add('b1'), add('a1'), add('b2')])
      assert.deepEqual(await one.queues.adopt('alice', [add('a1')]), [], 'tab two is open')

      two.presence.release() // tab two closes
      await settle()
      const adopted = await one.queues.adopt('alice', [add('a1')])
      assert.deepEqual(ids(adopted), ['b1', 'b2'], 'merged by command id: a1 is not taken twice')
      assert.deepEqual(storage.keys('rtkit:commands:alice'), ['rtkit:commands:alice:one'])
      assert.deepEqual(ids(JSON.parse(storage.get('rtkit:commands:alice:one')!).commands), ['a1', 'b1', 'b2'])
      assert.deepEqual(await one.queues.adopt('alice', [add('a1'), add('b1'), add('b2')]), [], 'nothing is taken over twice')
    })

    it('lets only one of two open tabs take over a closed tab’s queue', async () => {
      const storage = new MemoryStorage()
      const locks = fakeLocks()
      const [one, two, three] = ['one', 'two', 'three'].map((id) => tab(storage, id, { locks })) as [
        ReturnType<typeof tab>,
        ReturnType<typeof tab>,
        ReturnType<typeof tab>,
      ]
      await settle()
      three.queues.save('alice', [add('c1'), add('c2')])
      three.presence.release()
      await settle()
      const [byOne, byTwo] = await Promise.all([one.queues.adopt('alice', []), two.queues.adopt('alice', [])])
      assert.deepEqual([...ids(byOne), ...ids(byTwo)].sort(), ['c1', 'c2'])
      assert.ok(byOne.length === 0 || byTwo.length === 0)
    })
  })

  describe('without Web Locks', () => {
    it('takes over a queue its tab released (disposed) or left unwritten for long, and the queue an earlier version shared', async () => {
      const storage = new MemoryStorage()
      let now = 1_000_000
      const one = tab(storage, 'one', { now: () => now })
      const two = tab(storage, 'two', { now: () => now })
      const three = tab(storage, 'three', { now: () => now })
      storage.set('rtkit:commands:alice', JSON.stringify([add('old')])) // an earlier version's shared queue
      two.queues.save('alice', [add('b1')], true) // released
      three.queues.save('alice', [add('c1')])
      assert.deepEqual(ids(await one.queues.load('alice')), ['old', 'b1'], 'tab three wrote its queue just now')
      now += STALE_AFTER_MS + 1
      assert.deepEqual(ids(await one.queues.adopt('alice', [add('old'), add('b1')])), ['c1'])
    })

    it('loses nothing when a tab stops between storing what it took over and removing the old queue', async () => {
      const storage = new MemoryStorage()
      const one = tab(storage, 'one')
      const two = tab(storage, 'two')
      two.queues.save('alice', [add('b1')], true)
      const remove = storage.remove.bind(storage)
      storage.remove = () => {
        throw new Error('the tab closed here')
      }
      await assert.rejects(one.queues.adopt('alice', []))
      storage.remove = remove
      one.queues.save('alice', JSON.parse(storage.get('rtkit:commands:alice:one')!).commands, true) // tab one closes too
      const three = tab(storage, 'three')
      assert.deepEqual(ids(await three.queues.load('alice')), ['b1'], 'held twice in storage, taken once')
    })
  })
})
