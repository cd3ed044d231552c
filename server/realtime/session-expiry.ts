import type { SocketWrapper } from '@deepstream/types'

// setTimeout cannot wait longer than this; longer sessions are re-checked on
// their next action instead.
const MAX_TIMER_MS = 2 ** 31 - 1

const scheduled = new WeakMap<SocketWrapper, { expiresAt: number; timer: NodeJS.Timeout }>()

/**
 * Ends a realtime session when its token expires. deepstream checks the
 * token only at login; without this a connection would keep receiving events
 * for as long as it stays open. Every client must act (subscribe) before it
 * receives anything, so the first action schedules the disconnection; a
 * refreshed token (a later `expiresAt` in `serverData`) moves it.
 *
 * @returns `false` when the token has already expired (the socket is closed).
 */
export function enforceExpiry(socket: SocketWrapper, now = Date.now()): boolean {
  const expiresAt = (socket.serverData as { expiresAt?: unknown } | null)?.expiresAt
  if (typeof expiresAt !== 'number') return true
  const left = expiresAt * 1000 - now
  if (left <= 0) {
    socket.destroy()
    return false
  }
  const current = scheduled.get(socket)
  if (current?.expiresAt === expiresAt) return true
  if (current) clearTimeout(current.timer)
  else socket.onClose(() => clearTimeout(scheduled.get(socket)?.timer))
  if (left > MAX_TIMER_MS) {
    scheduled.delete(socket)
    return true
  }
  const timer = setTimeout(() => {
    if (!socket.isClosed) socket.destroy()
  }, left)
  timer.unref()
  scheduled.set(socket, { expiresAt, timer })
  return true
}
