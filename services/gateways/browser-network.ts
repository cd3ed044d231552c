import { Observable } from 'rxjs'

/**
 * Whether the browser says it has a network: `navigator.onLine` now, then
 * each `online` and `offline` event of the global scope (a window's or a
 * worker's). Outside a browser (Node.js) there is no such report, and it is
 * `true`.
 *
 * The browser's word is only half of it: `true` means there may be a network,
 * not that the server is reachable. `false` is certain, and it is the half the
 * kit uses: a WebSocket stays open on a network that is gone until a heartbeat is
 * missed, tens of seconds later, so the socket alone would keep saying
 * `open` meanwhile while every request fails.
 */
export function browserOnline$(): Observable<boolean> {
  return new Observable<boolean>((subscriber) => {
    const target = globalThis as Partial<Pick<typeof globalThis, 'addEventListener' | 'removeEventListener'>>
    if (!target.addEventListener) {
      subscriber.next(true)
      return undefined
    }
    const online = () => subscriber.next(true)
    const offline = () => subscriber.next(false)
    target.addEventListener('online', online)
    target.addEventListener('offline', offline)
    subscriber.next(globalThis.navigator?.onLine !== false)
    return () => {
      target.removeEventListener?.('online', online)
      target.removeEventListener?.('offline', offline)
    }
  })
}
