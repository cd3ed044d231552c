import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { tagEntries } from '../../scripts/tags.ts'
import { reactEventProp, reactEvents } from './react-events.ts'

interface ProbeEventMap {
  'rt-task-add': CustomEvent<{ title: string }>
  'rt-command-confirm': CustomEvent<{ type: 'insert' }>
}

describe('rtkit/react event props', () => {
  it('are on + PascalCase without rt-', () => {
    assert.equal(reactEventProp('rt-task-add'), 'onTaskAdd')
    assert.equal(reactEventProp('rt-command-confirm'), 'onCommandConfirm')
    assert.equal(reactEventProp('rt-login'), 'onLogin')
    assert.equal(reactEventProp('rt-connection-change'), 'onConnectionChange')
  })

  it('map each prop to its event, and the type check refuses a list that leaves one out', () => {
    assert.deepEqual(
      { ...reactEvents<ProbeEventMap>()(['rt-task-add', 'rt-command-confirm']) },
      {
        onTaskAdd: 'rt-task-add',
        onCommandConfirm: 'rt-command-confirm',
      },
    )
    // @ts-expect-error rt-command-confirm is missing
    reactEvents<ProbeEventMap>()(['rt-task-add'])
  })

  it('wrap every tag of components/', () => {
    const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8')
    const root = new URL('../..', import.meta.url).pathname
    const wrapped = [...source.matchAll(/tagName: '(rt-[a-z-]+)'/g)].map((match) => match[1])
    assert.deepEqual(
      wrapped.sort(),
      tagEntries(root).map((entry) => entry.tag),
    )
  })
})
