import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AVATAR_PALETTE, colourIndexOf, initialsOf } from './avatar.ts'

describe('avatars', () => {
  it('makes initials from the name, else the username', () => {
    assert.equal(initialsOf({ id: '1', username: 'alice', name: 'Alice Liddell' }), 'AL')
    assert.equal(initialsOf({ id: '2', username: 'bob', name: 'bob' }), 'BO')
    assert.equal(initialsOf({ id: '3', username: 'carol', name: '' }), 'CA')
    assert.equal(initialsOf({ id: '4', username: 'émile', name: '  Émile   Zola  ' }), 'ÉZ')
  })

  it('gives each user one colour of the palette, the same every time', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `user-${i}`)
    const colours = ids.map(colourIndexOf)
    assert.ok(colours.every((colour) => Number.isInteger(colour) && colour >= 0 && colour < AVATAR_PALETTE.length))
    assert.deepEqual(ids.map(colourIndexOf), colours)
    assert.equal(new Set(colours).size, AVATAR_PALETTE.length, 'every colour is used')
  })
})
