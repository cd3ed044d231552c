/**
 * Which tabs of this origin are still open, so a tab can take over the
 * command queue of a tab that has closed, and only one tab at a time does.
 *
 * With Web Locks (every current browser) each tab holds a lock named after
 * it for as long as it lives; the browser releases it when the tab closes or
 * crashes, so "open" is exact. Elsewhere (Node, older browsers) a tab counts
 * as gone once it has released its queue ({@link QueueRecord.beat} 0, on
 * `dispose()`) or not written it for {@link STALE_AFTER_MS}.
 *
 * @example
 * const presence = tabPresence('rtkit', crypto.randomUUID())
 * const alive = await presence.aliveTabs() // Set of tab ids, or undefined without Web Locks
 * await presence.exclusive('rtkit:queues:alice', () => adoptOrphans())
 */
export interface TabPresence {
  /** This tab's id. */
  readonly tabId: string
  /** Whether presence is exact (Web Locks), so the kit may check it as often as it likes. */
  readonly exact: boolean
  /** Ids of the tabs that are open, or `undefined` when this environment cannot tell. */
  aliveTabs(): Promise<ReadonlySet<string> | undefined>
  /** Runs `work` while no other tab runs work under the same name. */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>
  /** This tab is closing (the kit is disposed): let others take over its queue. */
  release(): void
  /** Whether {@link release} was called. */
  readonly released: boolean
}

/** Without Web Locks, a queue not written for this long is taken over. */
export const STALE_AFTER_MS = 10 * 60_000

const TAB_LOCK = ':tab:'

/** Presence on Web Locks when the environment has them, else the fallback described above. */
export function tabPresence(
  prefix: string,
  tabId: string,
  locks = (globalThis as { navigator?: Navigator }).navigator?.locks,
): TabPresence {
  let released = false
  if (!locks) {
    let chain: Promise<unknown> = Promise.resolve()
    return {
      tabId,
      exact: false,
      aliveTabs: async () => undefined,
      // One kit at a time at least; other tabs are not excluded (nothing here can).
      exclusive: <T>(_name: string, work: () => Promise<T>) => {
        const run = chain.then(work, work)
        chain = run.catch(() => undefined)
        return run
      },
      release: () => void (released = true),
      get released() {
        return released
      },
    }
  }
  let unlock: (() => void) | undefined
  const held = new Promise<void>((resolve) => (unlock = resolve))
  void locks.request(`${prefix}${TAB_LOCK}${tabId}`, () => held).catch(() => undefined)
  return {
    tabId,
    exact: true,
    async aliveTabs() {
      const { held: locksHeld = [] } = await locks.query()
      const alive = new Set<string>()
      for (const lock of locksHeld) {
        if (lock.name?.startsWith(`${prefix}${TAB_LOCK}`)) alive.add(lock.name.slice(prefix.length + TAB_LOCK.length))
      }
      // This tab's own lock may not be granted yet; it is alive all the same.
      alive.add(tabId)
      return alive
    },
    exclusive: <T>(name: string, work: () => Promise<T>) => locks.request(name, work) as Promise<T>,
    release: () => {
      released = true
      unlock?.()
    },
    get released() {
      return released
    },
  }
}
