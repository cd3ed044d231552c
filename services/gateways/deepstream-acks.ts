import type { C as Constants, DeepstreamClient } from '@deepstream/client'

/** How long to wait for a subscription acknowledgement before going ahead anyway. */
const ACK_WAIT_MS = 3000

interface TimeoutRegistryLike {
  add(timeout: { message?: { topic?: number; action?: number; names?: unknown; correlationId?: string } }): unknown
  remove(message: { topic?: number; action?: number; isAck?: boolean; correlationId?: string }): unknown
}

/**
 * Learns when the deepstream server has acknowledged an event subscription.
 *
 * Why: a live query must not read its partition before its topic
 * subscription is active on the server, or a write in between is neither in
 * the page nor delivered as an event. `@deepstream/client` batches
 * subscriptions and handles their acks internally without telling anyone,
 * so this watches its (private) timeout registry, which sees every sent
 * subscription and every ack. If that internal ever changes, waits fall back
 * to a bounded delay, and refetch-on-reconnect/resync still heals the view.
 */
export class SubscriptionAcks {
  readonly #sent = new Map<string, readonly string[]>()
  readonly #active = new Set<string>()
  readonly #waiters = new Map<string, Array<() => void>>()
  readonly #hooked: boolean

  /** @param C the client module's constants (passed in: the module itself is loaded on demand) */
  constructor(client: DeepstreamClient, C: typeof Constants) {
    const registry = (client as unknown as { services?: { timeoutRegistry?: TimeoutRegistryLike } }).services?.timeoutRegistry
    this.#hooked = typeof registry?.add === 'function' && typeof registry.remove === 'function'
    if (!registry || !this.#hooked) return
    const add = registry.add.bind(registry)
    const remove = registry.remove.bind(registry)
    registry.add = (timeout) => {
      const message = timeout?.message
      if (
        message?.topic === C.TOPIC.EVENT &&
        message.action === C.EVENT_ACTION.SUBSCRIBE &&
        Array.isArray(message.names) &&
        message.correlationId !== undefined
      ) {
        this.#sent.set(message.correlationId, message.names as string[])
      }
      return add(timeout)
    }
    registry.remove = (message) => {
      if (message?.topic === C.TOPIC.EVENT && message.correlationId !== undefined) {
        const names = this.#sent.get(message.correlationId)
        if (names) {
          this.#sent.delete(message.correlationId)
          for (const name of names) this.#confirm(name)
        }
      }
      return remove(message)
    }
  }

  /** Forget confirmations: after a connection loss every subscription is sent again. */
  reset(): void {
    this.#sent.clear()
    this.#active.clear()
  }

  /** Resolves when `topic` is confirmed, or after a bounded wait. */
  whenActive(topic: string): Promise<void> {
    if (this.#active.has(topic)) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#hooked ? ACK_WAIT_MS : 250)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      const waiters = this.#waiters.get(topic) ?? []
      waiters.push(done)
      this.#waiters.set(topic, waiters)
    })
  }

  #confirm(topic: string): void {
    this.#active.add(topic)
    const waiters = this.#waiters.get(topic) ?? []
    this.#waiters.delete(topic)
    for (const resolve of waiters) resolve()
  }
}
