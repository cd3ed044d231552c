import { DeepstreamClient } from '@deepstream/client'
import type { Session } from '../../contracts/documents.ts'
import { startTestStack, type TestStack } from './test-stack.ts'
import { eventually } from './write-load.ts'

/**
 * Helpers for the realtime integration tests: the shared test stack (real
 * server on ephemeral loopback ports), HTTP calls that insist on a status,
 * and deepstream clients whose every wait is bounded.
 */

/** Starts the whole bundled server for a test file. */
export function startRealtimeTestStack(): Promise<TestStack> {
  return startTestStack()
}

/** Calls the HTTP API; throws on a status other than `expect`. */
export async function api<T = any>(
  stack: TestStack,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  expect = 200,
): Promise<T> {
  const response = await stack.api<T>(method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) })
  if (response.status !== expect)
    throw new Error(`${method} ${path}: expected ${expect}, got ${response.status} ${JSON.stringify(response.body)}`)
  return response.body
}

/** Logs a demo user in through `POST /auth/login`. */
export function login(stack: TestStack, username: 'alice' | 'bob'): Promise<Session> {
  return stack.login(username)
}

/** Fails with a clear message when `promise` does not settle in `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Reconnect fast, for ever, so restart tests finish quickly.
const CLIENT_OPTIONS = { reconnectIntervalIncrement: 100, maxReconnectInterval: 500, maxReconnectAttempts: Infinity }

/** A deepstream client as a browser would use it, plus test probes. */
export interface TestClient {
  readonly client: DeepstreamClient
  /** Errors the server sent, e.g. `MESSAGE_DENIED`. */
  readonly errors: Array<{ event: string; topic: string }>
  /** Starts recording every event on `topic`. */
  record(topic: string): EventRecorder
  close(): void
}

/** Events received on one topic, in order. */
export interface EventRecorder {
  readonly events: any[]
  /** The first event (already received or still to come) matching `match`. */
  next(match: (event: any) => boolean, timeoutMs?: number): Promise<any>
}

/** Connects and logs in; rejects when login is refused. */
export async function connectClient(url: string, token: string, timeoutMs = 5_000): Promise<TestClient> {
  const client = new DeepstreamClient(url, CLIENT_OPTIONS)
  const errors: TestClient['errors'] = []
  client.on('error', (_data: unknown, event: string, topic: string) => errors.push({ event, topic }))
  try {
    await within(timeoutMs, 'login', client.login({ token }))
  } catch (error) {
    client.close()
    throw error
  }
  return {
    client,
    errors,
    record(topic) {
      const events: any[] = []
      const waiters = new Set<() => void>()
      client.event.subscribe(topic, (data: any) => {
        events.push(data)
        for (const wake of waiters) wake()
      })
      return {
        events,
        next(match, ms = 5_000) {
          const found = () => events.find(match)
          let check: (() => void) | undefined
          const waiting = new Promise<any>((resolve) => {
            check = () => {
              const event = found()
              if (event !== undefined) resolve(event)
            }
            waiters.add(check)
            check()
          })
          return within(ms, `an event on ${topic}`, waiting).finally(() => waiters.delete(check!))
        },
      }
    },
    close: () => client.close(),
  }
}

/**
 * Resolves once `client` has lost its connection and logged back in. Call it
 * before causing the loss.
 */
export function reconnection(client: DeepstreamClient, timeoutMs = 10_000): Promise<void> {
  let listener: ((state: string) => void) | undefined
  const done = new Promise<void>((resolve) => {
    let lost = false
    listener = (state) => {
      if (state === 'RECONNECTING') lost = true
      if (state === 'OPEN' && lost) resolve()
    }
    client.on('connectionStateChanged', listener)
  })
  return within(timeoutMs, 'the client to reconnect and log back in', done).finally(() => client.off('connectionStateChanged', listener))
}

/** Titles either side of a WebSocket frame header's three length forms (7-bit, 16-bit and 64-bit lengths). */
export const FRAME_SIZED_TITLES = ['short', 'x'.repeat(300), 'y'.repeat(70_000)]

/**
 * Publishes probes through `publish` until `recorder` hears one (its
 * subscription is then in place, on this node or across the cluster bus),
 * then one event titled with each of {@link FRAME_SIZED_TITLES}; resolves
 * with the titles in the order they arrived.
 */
export async function deliveredInOrder(
  recorder: EventRecorder,
  publish: (data: object) => boolean,
  subscribedWithinMs = 5_000,
): Promise<string[]> {
  const probed = () => {
    if (!publish({ op: 'probe' })) throw new Error('the probe was not published')
    return false
  }
  await eventually('the subscription', () => recorder.events.length > 0 || probed(), subscribedWithinMs)
  for (const title of FRAME_SIZED_TITLES)
    if (!publish({ op: 'upsert', doc: { title } })) throw new Error(`the event titled ${title.slice(0, 10)} was not published`)
  await recorder.next((data) => data.doc?.title === FRAME_SIZED_TITLES.at(-1))
  return recorder.events.filter((data) => data.op === 'upsert').map((data) => data.doc.title)
}
