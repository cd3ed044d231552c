import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Observable } from 'rxjs'
import { marbleScheduler } from '../testing/marbles.ts'
import { TopicMultiplexer } from './topic-multiplexer.ts'

describe('TopicMultiplexer', () => {
  it('opens one underlying subscription for many subscribers and closes it when the last leaves', () => {
    const opened: string[] = []
    marbleScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      // Prepare: the "server" side of one topic, and which topics were opened.
      const source = hot('--a--b--c--d--e--|')
      const multiplexer = new TopicMultiplexer<string>((topic) => {
        opened.push(topic)
        return source
      })
      const first = '   ^-------!'
      const second = '  ----^--------!'
      // Act
      expectObservable(multiplexer.topic$('tasks/launch'), first).toBe('--a--b--')
      expectObservable(multiplexer.topic$('tasks/launch'), second).toBe('-----b--c--d-')
      // Assess: one subscription from the first subscriber's start to the second's end.
      expectSubscriptions(source.subscriptions).toBe('^------------!')
    })
    assert.deepEqual(opened, ['tasks/launch'])
  })

  it('opens a fresh subscription when someone subscribes after everybody left', () => {
    marbleScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-x-y-z')
      const multiplexer = new TopicMultiplexer<string>(() => source)
      expectObservable(multiplexer.topic$('t'), '^--!').toBe('-x-')
      expectObservable(multiplexer.topic$('t'), '------^--!').toBe('-------x-')
      expectSubscriptions(source.subscriptions).toBe(['^--!', '------^--!'])
    })
  })

  it('keeps topics apart', () => {
    marbleScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const sources: Record<string, Observable<string> & { subscriptions: unknown[] }> = {
        a: cold('-a-a'),
        b: cold('--b-b'),
      }
      const multiplexer = new TopicMultiplexer<string>((topic) => sources[topic]!)
      expectObservable(multiplexer.topic$('a')).toBe('-a-a')
      expectObservable(multiplexer.topic$('b')).toBe('--b-b')
      expectSubscriptions(sources.a!.subscriptions as never).toBe('^')
      expectSubscriptions(sources.b!.subscriptions as never).toBe('^')
    })
  })
})
