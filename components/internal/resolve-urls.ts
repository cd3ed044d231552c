import type { KitOptions } from '../../services/index.ts'

/**
 * Makes the URLs of a kit absolute against the page, so a page can say
 * `api-url="/api" realtime-url="/deepstream"` and use its own origin (the
 * demo does, through Vite's proxy). `http(s)` becomes `ws(s)` for realtime.
 */
export function resolveKitUrls(options: Pick<KitOptions, 'apiUrl' | 'realtimeUrl'>): Pick<KitOptions, 'apiUrl' | 'realtimeUrl'> {
  const base = typeof document === 'undefined' ? undefined : document.baseURI
  const apiUrl = new URL(options.apiUrl, base).href.replace(/\/$/, '')
  const realtime = new URL(options.realtimeUrl, base)
  if (realtime.protocol === 'http:') realtime.protocol = 'ws:'
  if (realtime.protocol === 'https:') realtime.protocol = 'wss:'
  return { apiUrl, realtimeUrl: realtime.href }
}

const endpointIds = new WeakMap<object, number>()
let endpointCount = 0

/** An auth endpoint as part of a key: its resolved URL, or one number per function. */
function endpointKey(endpoint: KitOptions['authEndpoint']): string | number | null {
  if (!endpoint) return null
  if (typeof endpoint === 'string') return new URL(endpoint, typeof document === 'undefined' ? undefined : document.baseURI).href
  if (!endpointIds.has(endpoint)) endpointIds.set(endpoint, ++endpointCount)
  return endpointIds.get(endpoint)!
}

/** A string that is equal for options that would build an equivalent kit. */
export function kitKey(options: KitOptions): string {
  const { apiUrl, realtimeUrl } = resolveKitUrls(options)
  return JSON.stringify([apiUrl, realtimeUrl, options.storageKey ?? 'rtkit', endpointKey(options.authEndpoint)])
}
