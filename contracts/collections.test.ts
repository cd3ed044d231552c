import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { collections } from './collections.ts'
import { descriptors } from './descriptors.ts'

// The two halves of each collection agree: the descriptor (what the client
// knows) and the declaration (what the server enforces).

/** A valid create body of each collection, for probing one field at a time. */
const samples: Record<string, Record<string, unknown>> = {
  tasks: { board: 'launch', title: 'Ship it', status: 'todo', order: 1 },
  messages: { room: 'lobby', text: 'hello' },
}

describe('collection descriptors and declarations', () => {
  it('describe the same collections', () => {
    assert.deepEqual(Object.keys(descriptors).sort(), Object.keys(collections).sort())
    assert.deepEqual(Object.keys(samples).sort(), Object.keys(collections).sort(), 'every collection has a sample here')
  })

  for (const [name, declaration] of Object.entries(collections)) {
    const descriptor = descriptors[name]!

    it(`${name}: the declaration spreads its descriptor`, () => {
      assert.equal(declaration.name, descriptor.name)
      assert.equal(declaration.partitionKey, descriptor.partitionKey)
      assert.deepEqual(declaration.textFields, descriptor.textFields)
    })

    it(`${name}: the server stores exactly the descriptor's text fields trimmed and in NFC`, () => {
      const sample = samples[name]!
      for (const [field, value] of Object.entries(sample)) {
        if (typeof value !== 'string' || field === declaration.partitionKey) continue
        const parsed = declaration.create.safeParse({ id: randomUUID(), ...sample, [field]: `  Cafe\u0301 ` })
        // A field that refuses free text (an enum) is not text either.
        const normalised = parsed.success && (parsed.data as Record<string, unknown>)[field] === 'Caf\u00e9'
        assert.equal(
          normalised,
          descriptor.textFields.includes(field),
          `${name}.${field}: normalised by the server ${normalised}, in textFields ${!normalised}`,
        )
      }
    })
  }
})
