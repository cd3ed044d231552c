// A bad config stops start-up with one line naming the file, the collection
// and the problem: every check compileConfig makes, one test each.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import * as z from 'zod/mini'
import { messages, tasks } from './builtins.ts'
import { compileConfig } from './compile.ts'
import { defineCollection, defineConfig, type AnyCollectionDefinition } from './define.ts'
import { assertConfigRefused } from '../testing/config-refusal.ts'

const FILE = 'rtkit.config.mjs'
const votes = {
  name: 'votes',
  partitionKey: 'poll',
  fields: { choice: z.enum(['red', 'green', 'blue']), note: z.optional(z.string()) },
  derive: (user: { id: string }) => ({ voter: user.id }),
  order: ['choice'],
  rules: { read: () => true, create: () => true },
}

function refused(collections: unknown[], expected: RegExp): void {
  assertConfigRefused(() => compileConfig(defineConfig({ collections: collections as AnyCollectionDefinition[] }), FILE), FILE, expected)
}

describe('compiling an operator config', () => {
  it('accepts the built-ins and a declared collection, and says which operations have no rule', () => {
    const compiled = compileConfig(defineConfig({ collections: [tasks, messages, defineCollection(votes)] }), FILE)
    assert.deepEqual(
      compiled.map((collection) => collection.name),
      ['tasks', 'messages', 'votes'],
    )
    const declared = compiled[2]!
    assert.deepEqual(declared.fields, ['poll', 'choice', 'note'])
    assert.deepEqual(declared.derived, ['voter'])
    assert.deepEqual(declared.refused, ['update', 'remove'])
    assert.deepEqual(compiled[0]!.textFields, ['title'])
  })

  it("types each rule's document from its declaration, written inside defineConfig as a config file does", () => {
    const config = defineConfig({
      collections: [
        defineCollection({
          name: 'reviews',
          partitionKey: 'book',
          // No derive: the declaration alone types the document, not defineConfig's list of any collection.
          fields: { stars: z.number() },
          rules: {
            read: () => true,
            // @ts-expect-error a field the declaration does not have
            update: (_user, existing) => existing.colour === 'red',
            remove: (user, existing) => existing.createdBy === user.id && existing.stars > 0,
          },
        }),
      ],
    })
    assert.deepEqual(compileConfig(config, FILE)[0]!.refused, ['create'])
  })

  it('refuses a default export that is not defineConfig(…)', () => {
    assert.throws(() => compileConfig({ collections: [] }, FILE), /rtkit\.config\.mjs: the default export must be defineConfig/)
    assert.throws(() => compileConfig(undefined, FILE), /the default export must be defineConfig/)
  })

  it('refuses a collection not made by defineCollection', () => refused([votes], /collections\[0\] is not made by defineCollection/))
  it('refuses duplicate names', () => refused([defineCollection(votes), defineCollection(votes)], /collection "votes": is declared twice/))
  it('refuses a name outside [a-z][a-z0-9_-]{0,63}', () =>
    refused([defineCollection({ ...votes, name: 'Votes!' })], /collection "Votes!": name must match/))
  it('refuses a reserved name', () =>
    refused([defineCollection({ ...votes, name: 'users' })], /collection "users": name "users" is reserved/))
  it('refuses a missing partition key', () =>
    refused(
      [defineCollection({ ...votes, partitionKey: undefined as unknown as string })],
      /collection "votes": partitionKey must name a field/,
    ))
  it('refuses a field that is not a Standard Schema', () =>
    refused([defineCollection({ ...votes, fields: { choice: 'string' as never } })], /field "choice" is not a Standard Schema/))
  it('refuses a rule that is not a function', () =>
    refused([defineCollection({ ...votes, rules: { read: true as never } })], /collection "votes": rules\.read is not a function/))
  it('refuses an unknown rule', () =>
    refused([defineCollection({ ...votes, rules: { delete: () => true } as never })], /rules\.delete is not a rule/))
  it('refuses an index naming an unknown field', () =>
    refused([defineCollection({ ...votes, indexes: ['colour'] })], /collection "votes": indexes names an unknown field "colour"/))
  it('refuses an order entry naming an unknown field', () =>
    refused([defineCollection({ ...votes, order: ['colour'] })], /collection "votes": order names an unknown field "colour"/))
  it('refuses a derived field that is also declared', () =>
    refused([defineCollection({ ...votes, derive: () => ({ choice: 'red' }) })], /derived field "choice" is also a declared field/))
  it('refuses a field the server sets', () =>
    refused([defineCollection({ ...votes, fields: { version: z.number() } })], /field "version" is set by the server/))
  it('refuses a misspelt option, which would otherwise be left out without a word', () => {
    refused([defineCollection({ ...votes, ordr: ['choice'] } as never)], /collection "votes": "ordr" is not an option \(name, partitionKey/)
    assertConfigRefused(
      () => compileConfig(defineConfig({ collections: [tasks], functons: [] } as never), FILE),
      FILE,
      /"functons" is not an option of defineConfig \(collections, functions\)/,
    )
  })
  it('refuses a partition key whose schema is not text (its values always are)', () => {
    refused(
      [defineCollection({ ...votes, fields: { ...votes.fields, poll: z.number() } })],
      /collection "votes": field "poll" is the partition key, always text, but its schema accepts 5/,
    )
    refused([defineCollection({ ...votes, fields: { ...votes.fields, poll: z.boolean() } })], /schema accepts true/)
    // A string schema with checks of its own is fine.
    compileConfig(
      defineConfig({ collections: [defineCollection({ ...votes, fields: { ...votes.fields, poll: z.enum(['a', 'b']) } })] }),
      FILE,
    )
  })
})

describe('validating bodies of a declared collection', () => {
  const [collection] = compileConfig(defineConfig({ collections: [defineCollection(votes)] }), FILE)
  const id = '3f0c3a52-2f1e-4b7e-9d55-0a8c9a2e1c11'

  it('checks every field on create, optional where the schema accepts undefined', async () => {
    assert.deepEqual(await collection!.validateCreate({ id, poll: 'p1', choice: 'red' }), { id, poll: 'p1', choice: 'red' })
    await assert.rejects(collection!.validateCreate({ id, poll: 'p1' }), (error: Error & { details?: { issues: { path: string }[] } }) => {
      assert.deepEqual(
        error.details?.issues.map((issue) => issue.path),
        ['choice'],
      )
      return true
    })
  })

  it('asks for the id a client makes, and names it when it is missing rather than malformed', async () => {
    const messageOf = async (body: object) => {
      const error = (await collection!.validateCreate(body).then(
        () => assert.fail('accepted'),
        (refusal: unknown) => refusal,
      )) as { details: { issues: { path: string; message: string }[] } }
      return error.details.issues.find((issue) => issue.path === 'id')?.message
    }
    assert.match((await messageOf({ poll: 'p1', choice: 'red' })) ?? '', /^is required: a UUID the client makes/)
    assert.equal(await messageOf({ id: 'x', poll: 'p1', choice: 'red' }), 'must be a UUID')
  })

  it('refuses undeclared fields, derived fields and a bad partition value', async () => {
    const issues = async (body: unknown) => {
      try {
        await collection!.validateCreate(body)
        return []
      } catch (error) {
        return (error as { details: { issues: { path: string; message: string }[] } }).details.issues
      }
    }
    assert.deepEqual(await issues({ id, poll: 'p1', choice: 'red', colour: 'x' }), [{ path: 'colour', message: 'Unrecognized key' }])
    assert.deepEqual(await issues({ id, poll: 'p1', choice: 'red', voter: 'me' }), [{ path: 'voter', message: 'is set by the server' }])
    assert.deepEqual(
      (await issues({ id, poll: 'no spaces', choice: 'red' })).map((issue) => issue.path),
      ['poll'],
    )
    assert.deepEqual(
      (await issues({ id: 'x', poll: 'p1', choice: 'red' })).map((issue) => issue.path),
      ['id'],
    )
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, 0]))
    assert.deepEqual(
      (await issues({ ...many, poll: 'p1', choice: 'purple' })).slice(0, 3),
      [
        { path: 'id', message: 'is required: a UUID the client makes, so a retry cannot create it twice' },
        { path: 'choice', message: (await issues({ id, poll: 'p1', choice: 'purple' }))[0]!.message },
        { path: 'extra0', message: 'Unrecognized key' },
      ],
      'a missing id and a wrong value come before the unknown keys, so that many of those cannot hide them',
    )
  })

  it("reports an unknown key inside a field's own object at its own path", async () => {
    const notes = defineCollection({
      name: 'notes',
      partitionKey: 'shelf',
      fields: { meta: z.strictObject({ a: z.string() }) },
      rules: { read: () => true, create: () => true },
    })
    const [collection] = compileConfig(defineConfig({ collections: [notes] }), FILE)
    const refusal = (await collection!.validateCreate({ id: randomUUID(), shelf: 's1', meta: { a: 'x', b: {}, 'c.d': 1 } }).then(
      () => undefined,
      (error: unknown) => error,
    )) as { details: { issues: Array<{ path: string; message: string }> } }
    assert.deepEqual(refusal.details.issues, [
      { path: 'meta.b', message: 'Unrecognized key' },
      { path: 'meta."c.d"', message: 'Unrecognized key' },
    ])
  })

  it('waits for a schema that answers asynchronously, on create and on patch', async () => {
    // A Standard Schema whose validate returns a promise, as an async refinement does.
    const even = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: async (value: unknown) =>
          typeof value === 'number' && value % 2 === 0 ? { value } : { issues: [{ message: 'must be even' }] },
      },
    }
    const [counts] = compileConfig(
      defineConfig({
        collections: [defineCollection({ name: 'counts', partitionKey: 'board', fields: { n: even }, rules: { create: () => true } })],
      }),
      FILE,
    )
    assert.deepEqual(await counts!.validateCreate({ id, board: 'b1', n: 4 }), { id, board: 'b1', n: 4 })
    await assert.rejects(counts!.validateCreate({ id, board: 'b1', n: 3 }), /n: must be even/)
    assert.deepEqual(await counts!.validatePatch({ n: 2 }), { n: 2 })
    await assert.rejects(counts!.validatePatch({ n: 1 }), /n: must be even/)
  })

  it('checks only the fields a patch names, and at least one', async () => {
    assert.deepEqual(await collection!.validatePatch({ note: 'hi' }), { note: 'hi' })
    await assert.rejects(collection!.validatePatch({}), /must change at least one field/)
    await assert.rejects(collection!.validatePatch({ choice: 'purple' }), /choice/)
    await assert.rejects(collection!.validatePatch({ voter: 'me' }), /voter: is set by the server/)
  })
})
