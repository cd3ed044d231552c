// An operator's collection through the facade, known by name only: nothing
// shared with the server but the name. The kit orders it as the server
// declares, writes it through the ref, normalises its text fields as the
// server will, and two kits see each other's writes live.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { finalize, type Observable } from 'rxjs'
import { createKit } from './create-kit.ts'
import { DeepstreamGateway } from './package-entry.ts'
import type { Kit } from './kit.ts'
import type { LiveDoc } from './live/live-doc.ts'
import { MemoryStorage } from './storage/memory-storage.ts'
import { stackWithConfig } from './testing/config-stack.ts'
import { waitFor } from './testing/wait.ts'

const define = pathToFileURL(fileURLToPath(new URL('../server/collections/config-entry.ts', import.meta.url))).href
const zod = pathToFileURL(fileURLToPath(new URL('../node_modules/zod/mini/index.js', import.meta.url))).href
const CONFIG = `
import { defineConfig, defineCollection, text } from '${define}'
import * as z from '${zod}'
export default defineConfig({
  collections: [
    defineCollection({
      name: 'votes',
      partitionKey: 'poll',
      fields: { choice: z.enum(['red', 'green', 'blue']), note: text({ max: 50, optional: true }) },
      derive: (user) => ({ voter: user.id }),
      order: ['choice'],
      rules: { read: () => true, create: () => true, update: (user, existing) => existing.voter === user.id },
    }),
  ],
})
`

interface VoteFields {
  poll: string
  choice: 'red' | 'green' | 'blue'
  note?: string
  voter: string
}

describe('a collection known by name', () => {
  const fixture = stackWithConfig(CONFIG)
  const { kits, held } = fixture

  async function signedIn(username: 'alice' | 'bob'): Promise<Kit> {
    const kit = createKit({ apiUrl: fixture.stack.apiUrl, realtimeUrl: fixture.stack.realtimeUrl, storage: new MemoryStorage() })
    kits.push(kit)
    await kit.login(username, 'rtkit-demo')
    await waitFor(kit.connection$, (status) => status === 'open', `${username}'s realtime connection`)
    return kit
  }

  it("is ordered by the server's declared order, written through its ref and seen live by another kit", async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const [alice, bob] = [await signedIn('alice'), await signedIn('bob')]
    const aliceVotes = alice.collection<VoteFields>('votes')
    const seenByBob = bob.collection<VoteFields>('votes').where({ poll }).watch()
    let latest: readonly LiveDoc<VoteFields>[] = []
    held.push(seenByBob.subscribe((docs) => (latest = docs)))
    await waitFor(bob.collection('votes').where({ poll }).status(), (status) => status === 'ready', "bob's query")

    // Ids that sort red, green, blue: id order is not the declared order.
    const ids = { red: `1${randomUUID().slice(1)}`, green: `2${randomUUID().slice(1)}`, blue: `3${randomUUID().slice(1)}` }
    for (const choice of ['red', 'blue', 'green'] as const) await aliceVotes.insert({ id: ids[choice], poll, choice }).settled
    await waitFor(seenByBob, (docs) => docs.length === 3, 'three votes at bob')
    assert.deepEqual(
      latest.map((vote) => vote.choice),
      ['blue', 'green', 'red'],
      'in the order the server declares: by choice',
    )
    assert.ok(latest.every((vote) => typeof vote.voter === 'string' && vote.voter.length > 0))
  })

  it("normalises the server's text fields before it answers, and rolls back what the rules refuse", async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    const [alice, bob] = [await signedIn('alice'), await signedIn('bob')]
    const query = alice.collection<VoteFields>('votes').where({ poll })
    const docs = query.watch()
    held.push(docs.subscribe())
    await waitFor(query.status(), (status) => status === 'ready', "alice's query")
    const declared = await waitFor(alice.collection('votes').declared(), (info) => info !== undefined, 'what the server declares')
    assert.deepEqual(declared!.textFields, ['note'])

    const receipt = alice.collection<VoteFields>('votes').insert({ poll, choice: 'red', note: '  Cafe\u0301 ' })
    const pending = await waitFor(docs, (list) => list.length === 1, 'the optimistic vote')
    assert.equal(pending[0]!.note, 'Caf\u00e9', 'the optimistic copy is what the server will store')
    const outcome = await receipt.settled
    assert.equal(outcome.status, 'confirmed')

    // Bob may not change alice's vote: the update is refused and rolled back.
    const bobsQuery = bob.collection<VoteFields>('votes').where({ poll })
    held.push(bobsQuery.watch().subscribe())
    await waitFor(bobsQuery.watch(), (list) => list.length === 1, "the vote at bob's")
    const refused = await bob.collection<VoteFields>('votes').update(receipt.docId, { choice: 'blue' }).settled
    assert.equal(refused.status, 'rejected')
    const after = await waitFor(bobsQuery.watch(), (list) => list[0]?.choice === 'red' && !list[0]?.pending, 'rolled back')
    assert.equal(after[0]!.choice, 'red')
  })

  it('keeps the partition subscribed while it switches to the declared order, so no change is missed meanwhile', async () => {
    const poll = `poll-${randomUUID().slice(0, 8)}`
    // The real gateway, counting when the topic is released.
    const realtime = new DeepstreamGateway({ url: fixture.stack.realtimeUrl })
    const released: string[] = []
    const event$ = realtime.event$.bind(realtime)
    realtime.event$ = <T>(topic: string): Observable<T> => event$<T>(topic).pipe(finalize(() => released.push(topic)))
    const kit = createKit(
      { apiUrl: fixture.stack.apiUrl, realtimeUrl: fixture.stack.realtimeUrl, storage: new MemoryStorage() },
      { realtime },
    )
    kits.push(kit)
    // Watched before sign-in: by id until GET /collections answers, then in the declared order.
    const query = kit.collection<VoteFields>('votes').where({ poll })
    held.push(query.watch().subscribe())
    await kit.login('alice', 'rtkit-demo')
    await waitFor(kit.collection('votes').declared(), (info) => info !== undefined, 'what the server declares')
    await waitFor(query.status(), (status) => status === 'ready', 'the query')
    assert.deepEqual(released, [], 'the topic was never let go')
  })
})
