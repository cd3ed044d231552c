import { share, type Observable } from 'rxjs'

/**
 * Shares one underlying subscription per topic among any number of
 * subscribers: the first subscriber opens it, the last one to leave closes
 * it, and a later subscriber opens a fresh one. This is how ten tags on one
 * board make one deepstream subscription.
 *
 * @param open opens the underlying subscription of a topic (cold: one call per open)
 * @example
 * const events = new TopicMultiplexer((topic) => fromDeepstream(client, topic))
 * const a = events.topic$('tasks/launch').subscribe(render)
 * const b = events.topic$('tasks/launch').subscribe(log) // no second deepstream subscription
 */
export class TopicMultiplexer<T> {
  readonly #topics = new Map<string, Observable<T>>()

  constructor(private readonly open: (topic: string) => Observable<T>) {}

  /** The shared stream of `topic`. */
  topic$(topic: string): Observable<T> {
    let shared = this.#topics.get(topic)
    if (!shared) {
      // No replay: an event is news only once; late subscribers refetch instead.
      shared = this.open(topic).pipe(share({ resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }))
      this.#topics.set(topic, shared)
    }
    return shared
  }
}
