import { createKit } from '../../services/index.ts'
import type { Kit, KitOptions } from '../../services/index.ts'
import { optionConflicts } from './kit-options.ts'
import { resolveKitUrls } from './resolve-urls.ts'

/** One shared kit and how many hold it. */
interface SharedKit {
  readonly kit: Kit
  /** The options it was made with (URLs resolved), to compare a later user's with. */
  readonly options: KitOptions
  users: number
}

/**
 * The page's shared kits by session: API URL, realtime URL and storage key.
 * Kept on `globalThis` under a registered symbol, so every `<rt-provider>`
 * and `configure()` of every copy of rtkit on the page (separately built
 * bundles, other versions) finds the same kits. The `/1` is the shape's
 * version: a copy with an incompatible shape would use another key.
 */
interface KitRegistry {
  readonly kits: Map<string, SharedKit>
  /** Warnings already given, so each is given once per page. */
  readonly warned: Set<string>
}

const REGISTRY = Symbol.for('rtkit.kits/1')

function registry(): KitRegistry {
  const global = globalThis as typeof globalThis & { [REGISTRY]?: KitRegistry }
  global[REGISTRY] ??= { kits: new Map(), warned: new Set() }
  return global[REGISTRY]
}

/** A hold on a shared kit; `release()` lets go of it (once; later calls do nothing). */
export interface KitLease {
  readonly kit: Kit
  release(): void
}

/**
 * The session a kit serves: two kits with the same one would share the
 * token and the offline queue in storage, so the page keeps one kit per
 * session and everyone who asks for it shares it (and its WebSocket).
 */
export function sessionKey(options: KitOptions): string {
  const { apiUrl, realtimeUrl } = resolveKitUrls(options)
  return JSON.stringify([apiUrl, realtimeUrl, options.storageKey ?? 'rtkit'])
}

/** `console.warn`s `message` unless this page has seen it already (from any copy of rtkit). */
export function warnOnce(message: string): void {
  const { warned } = registry()
  if (warned.has(message)) return
  warned.add(message)
  console.warn(message)
}

/**
 * Holds the page's kit for these options' session, creating it for the
 * first user. A later user whose other options (`authEndpoint`,
 * `requestTimeoutMs`, `storage`, …) differ still gets the first kit, and the
 * page gets one warning naming the option and both values. The kit is
 * disposed when its last user lets go (a user who lets go and takes hold in
 * the same task, as a moved element does, keeps it).
 *
 * @param caller who asks, for the warning, e.g. `<rt-provider>`
 * @example
 * const lease = acquireKit({ apiUrl: '/api', realtimeUrl: '/deepstream' }, '<rt-provider>')
 * lease.kit.session$.subscribe(render)
 * lease.release()
 */
export function acquireKit(options: KitOptions, caller: string): KitLease {
  const resolved: KitOptions = { ...options, ...resolveKitUrls(options) }
  const key = sessionKey(resolved)
  const { kits } = registry()
  let shared = kits.get(key)
  if (shared && shared.users === 0 && optionConflicts(shared.options, resolved).length > 0) {
    // Nobody holds it any more (its disposal is pending): the new options win.
    kits.delete(key)
    void shared.kit.dispose()
    shared = undefined
  }
  if (shared) {
    for (const { option, first, next } of optionConflicts(shared.options, resolved)) {
      warnOnce(
        `rtkit: ${caller} asked for the kit of ${resolved.apiUrl} (storage key ${JSON.stringify(resolved.storageKey ?? 'rtkit')}) ` +
          `with ${option} ${next}, but the page already shares that kit with ${option} ${first}; it keeps the first. ` +
          `One session has one kit: give it another storage key for a separate session.`,
      )
    }
  } else {
    shared = { kit: createKit(resolved), options: resolved, users: 0 }
    kits.set(key, shared)
  }
  const held = shared
  held.users += 1
  let released = false
  return {
    kit: held.kit,
    release() {
      if (released) return
      released = true
      held.users -= 1
      if (held.users > 0) return
      queueMicrotask(() => {
        if (held.users > 0 || kits.get(key) !== held) return
        kits.delete(key)
        void held.kit.dispose()
      })
    },
  }
}
