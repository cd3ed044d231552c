import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { insertCommand, updateCommand } from './command-factories.ts'
import { CommandType } from './command-types.ts'

const context = { userId: 'alice', newId: () => 'id', now: () => '2024-01-01T00:00:00.000Z' }

describe('command factories', () => {
  describe('trim what the server trims, so the optimistic value is the stored one', () => {
    it('trims task titles (addTask, renameTask)', () => {
      const add = insertCommand(context, CommandType.addTask, 'tasks', { board: 'launch', title: ' Ship it  ', status: 'todo', order: 1 })
      assert.deepEqual(add.fields, { board: 'launch', title: 'Ship it', status: 'todo', order: 1 })
      const rename = updateCommand(context, CommandType.renameTask, 'tasks', 't1', { title: '\tRenamed \n' }, 2)
      assert.deepEqual(rename.patch, { title: 'Renamed' })
    })

    it('trims message texts (sendMessage, editMessage)', () => {
      assert.deepEqual(insertCommand(context, CommandType.sendMessage, 'messages', { room: 'lobby', text: '  hi ' }).fields, {
        room: 'lobby',
        text: 'hi',
      })
      assert.deepEqual(updateCommand(context, CommandType.editMessage, 'messages', 'm1', { text: 'edited  ' }, 1).patch, { text: 'edited' })
    })

    it('leaves other fields and other collections as they are', () => {
      assert.deepEqual(updateCommand(context, CommandType.moveTask, 'tasks', 't1', { board: ' b ', status: 'doing', order: 2 }, 1).patch, {
        board: ' b ',
        status: 'doing',
        order: 2,
      })
      assert.deepEqual(insertCommand(context, CommandType.insert, 'notes', { title: ' kept ' }).fields, { title: ' kept ' })
    })
  })
})
