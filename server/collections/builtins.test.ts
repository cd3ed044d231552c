// The client's descriptors of the built-ins (contracts/descriptors.ts, zod-free)
// agree with the server's declarations: same partition keys, and the client
// normalises exactly the fields the server stores as text.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { descriptors } from '../../contracts/descriptors.ts'
import { defaultCollections } from './registry.ts'

/** A valid create body of each built-in, for probing one field at a time. */
const samples: Record<string, Record<string, unknown>> = {
  tasks: { board: 'launch', title: 'Ship it', status: 'todo', order: 1 },
  messages: { room: 'lobby', text: 'hello' },
}

describe('the built-in collections', () => {
  it('are the ones the client describes', () => {
    assert.deepEqual(
      defaultCollections()
        .map((collection) => collection.name)
        .sort(),
      Object.keys(descriptors).sort(),
    )
  })

  for (const collection of defaultCollections()) {
    const descriptor = descriptors[collection.name]!
    it(`${collection.name}: same partition key and text fields as its descriptor`, () => {
      assert.equal(collection.partitionKey, descriptor.partitionKey)
      assert.deepEqual(collection.textFields, descriptor.textFields)
    })

    it(`${collection.name}: the server stores exactly the text fields trimmed and in NFC`, async () => {
      const sample = samples[collection.name]!
      for (const [field, value] of Object.entries(sample)) {
        if (typeof value !== 'string' || field === collection.partitionKey) continue
        const stored = await collection.validateCreate({ id: randomUUID(), ...sample, [field]: `  Cafe\u0301 ` }).catch(() => undefined)
        // A field that refuses free text (an enum) is not text either.
        const normalised = stored?.[field] === 'Caf\u00e9'
        assert.equal(normalised, collection.textFields.includes(field), `${collection.name}.${field}`)
      }
    })
  }
})
