import { Observable } from 'rxjs'

/**
 * Whether the browser says it has a network: `true` at first, then what each
 * `online` and `offline` event of the global scope (a window's or a worker's)
 * says. Outside a browser (Node.js) there are no such events, and it stays `true`.
 *
 * `navigator.onLine` is not read at the start: Chromium has many reports of
 * it saying `false` on a working network, which would keep the kit offline
 * (and its commands queued) for no reason. TanStack Query's `onlineManager`
 * dropped it for the same reason. The events say when the network changes.
 *
 * The browser's word is only half of it: `true` means there may be a network,
 * not that the server is reachable. `false` is the half the kit uses: a
 * WebSocket stays open on a network that is gone until a heartbeat is
 * missed, tens of seconds later, so the socket alone would keep saying
 * `open` meanwhile while every request fails.
 */
export function browserOnline$(): Observable<boolean> {
  return new Observable<boolean>((subscriber) => {
    subscriber.next(true)
    const target = globalThis as Partial<Pick<typeof globalThis, 'addEventListener' | 'removeEventListener'>>
    if (!target.addEventListener) return undefined
    const online = () => subscriber.next(true)
    const offline = () => subscriber.next(false)
    target.addEventListener('online', online)
    target.addEventListener('offline', offline)
    return () => {
      target.removeEventListener?.('online', online)
      target.removeEventListener?.('offline', offline)
    }
  })
}
