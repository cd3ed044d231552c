/**
 * Helpers for component tests that run in Chromium against the real bundled
 * server the test runner starts (see web-test-runner.config.mjs). Test-only:
 * nothing outside `*.test.ts` imports this folder.
 */
import { waitUntil } from '@open-wc/testing'
import { createKit, MemoryStorage, messagesOf, tasksOf, type Kit } from '../../services/index.ts'
import type { Observable } from 'rxjs'
import type { Doc, Session } from '../../contracts/index.ts'

/** URLs of the running stack. */
export interface TestEnv {
  apiUrl: string
  realtimeUrl: string
}

/** Password of the seeded demo users `alice` and `bob`. */
export const DEMO_PASSWORD = 'rtkit-demo'

/** Markup that would run script or load a resource if it were ever parsed as HTML. */
export const HOSTILE = `<img src=x onerror="window.__rtkitPwned=true"><script>window.__rtkitPwned=true</script>`

// The virtualizer resizes inside ResizeObserver callbacks; Chromium then reports a
// harmless "loop completed with undelivered notifications" error, which Mocha would count as a failure.
window.addEventListener(
  'error',
  (event) => {
    if (event.message?.includes('ResizeObserver loop')) event.stopImmediatePropagation()
  },
  true,
)

let env: Promise<TestEnv> | undefined
const kits: Kit[] = []

/** The stack's URLs, served by the test runner plugin. */
export function testEnv(): Promise<TestEnv> {
  env ??= fetch('/__rtkit/env.json').then(async (response) => {
    const value = (await response.json()) as Partial<TestEnv>
    if (!value.apiUrl || !value.realtimeUrl) throw new Error('the test stack did not start (no apiUrl/realtimeUrl)')
    return value as TestEnv
  })
  return env
}

/** A unique partition name (board or room), so tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`
}

/** A new facade with its own in-memory storage; disposed by {@link disposeKits}. */
export async function newKit(): Promise<Kit> {
  const { apiUrl, realtimeUrl } = await testEnv()
  const kit = createKit({ apiUrl, realtimeUrl, storage: new MemoryStorage(), storageKey: uniqueName('test') })
  kits.push(kit)
  return kit
}

/** A new facade signed in as a demo user. */
export async function signedInKit(username = 'alice'): Promise<Kit> {
  const kit = await newKit()
  await kit.login(username, DEMO_PASSWORD)
  return kit
}

/** Disposes every facade made by {@link newKit}; call in `afterEach`. */
export async function disposeKits(): Promise<void> {
  await Promise.all(kits.splice(0).map((kit) => kit.dispose()))
}

/**
 * Another client talking plain HTTP to the API (no facade), to make changes
 * the component under test must pick up live.
 */
export class ApiClient {
  private constructor(
    private readonly apiUrl: string,
    readonly session: Session,
  ) {}

  static async login(username: string): Promise<ApiClient> {
    const { apiUrl } = await testEnv()
    const response = await fetch(`${apiUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    })
    if (!response.ok) throw new Error(`login ${username}: ${response.status}`)
    return new ApiClient(apiUrl, (await response.json()) as Session)
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.session.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
    return (response.status === 204 ? undefined : await response.json()) as T
  }

  insert<T extends object>(collection: string, fields: T & { id?: string }): Promise<Doc<T>> {
    return this.request('POST', `/collections/${collection}`, { id: crypto.randomUUID(), ...fields })
  }

  update<T extends object>(collection: string, id: string, patch: Partial<T>, expectedVersion: number): Promise<Doc<T>> {
    return this.request('PATCH', `/collections/${collection}/${id}`, { ...patch, expectedVersion })
  }

  list<T extends object>(collection: string, partition: Record<string, string>): Promise<{ items: Doc<T>[] }> {
    return this.request('GET', `/collections/${collection}?${new URLSearchParams(partition)}`)
  }
}

/**
 * Options for `@open-wc/testing`'s `waitUntil`: its default of one second is
 * too short for a round trip through the server on a shared machine.
 */
export const WAIT = { timeout: 8000, interval: 20 }

/** Elements matching `selector` inside `host`'s shadow root. */
export function shadowAll<T extends Element = HTMLElement>(host: Element, selector: string): T[] {
  return [...(host.shadowRoot?.querySelectorAll<T>(selector) ?? [])]
}

/** The first element matching `selector` inside `host`'s shadow root. */
export function shadow<T extends Element = HTMLElement>(host: Element, selector: string): T | null {
  return host.shadowRoot?.querySelector<T>(selector) ?? null
}

/** Waits (`waitUntil`) until `selector` matches inside `host`'s shadow root and returns the element. */
export async function shadowFind<T extends Element = HTMLElement>(host: Element, selector: string, what = selector): Promise<T> {
  await waitUntil(() => shadow(host, selector), `${what} in <${host.localName}>`, WAIT)
  return shadow<T>(host, selector)!
}

/** True when hostile markup was parsed into elements or ran anywhere in `host`. */
export function ranHostileContent(host: Element): boolean {
  const root = host.shadowRoot
  return (window as { __rtkitPwned?: boolean }).__rtkitPwned === true || !!root?.querySelector('img[src="x"], script:not([type])')
}

/**
 * Resolves once `kit`'s live query on a partition receives pushed changes:
 * writes probe documents through another client until one shows up, then
 * deletes them again.
 *
 * Why: the deepstream client batches SUBSCRIBE messages (`subscriptionInterval`,
 * 100 ms by default), so for a moment after a query's first fetch a write can
 * be missed until the next refetch. Tests that assert "another user's write
 * shows up live" wait for this first, so they test the component, not that window.
 */
export async function whenLive(
  kit: Kit,
  target: { collection: 'tasks'; board: string } | { collection: 'messages'; room: string },
): Promise<void> {
  const api = await ApiClient.login('bob')
  const seen = new Set<string>()
  const stream: Observable<readonly { id: string }[]> =
    target.collection === 'tasks' ? tasksOf(kit).tasks$(target.board) : messagesOf(kit).messages$(target.room)
  const subscription = stream.subscribe((docs) => docs.forEach((doc) => seen.add(doc.id)))
  const probes: string[] = []
  try {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const fields =
        target.collection === 'tasks'
          ? { board: target.board, title: 'probe', status: 'done', order: -1 }
          : { room: target.room, text: 'probe' }
      const probe = await api.insert(target.collection, fields)
      probes.push(probe.id)
      const deadline = performance.now() + 300
      while (!seen.has(probe.id) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
      if (seen.has(probe.id)) return
    }
    throw new Error(`the live query on ${JSON.stringify(target)} never received a pushed change`)
  } finally {
    await Promise.all(probes.map((id) => api.request('DELETE', `/collections/${target.collection}/${id}`)))
    subscription.unsubscribe()
  }
}

/** Resolves when `kit` has no queued or in-flight commands (bounded). */
export async function settled(kit: Kit, timeout = 8000): Promise<void> {
  let pending = -1
  const subscription = kit.pending$.subscribe((commands) => (pending = commands.length))
  try {
    await waitUntil(() => pending === 0, 'every command confirmed', { ...WAIT, timeout })
  } finally {
    subscription.unsubscribe()
  }
}
